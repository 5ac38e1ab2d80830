package io.kube2kafka.watch;

import java.net.SocketTimeoutException;
import java.util.Locale;

/**
 * Why a watch had to be opened again, in a handful of classes so a metric labelled with it stays
 * bounded: an HTTP status becomes its class ({@code http-4xx}), an exception its kind, never its
 * message or its class name (a new exception class must not mean a new time series).
 */
public enum RestartCause {
    /** The server ended the watch normally (its timeoutSeconds ran out): routine, client-go reopens it too. */
    CLOSED,
    /** 410 Gone: the resume point left the server's window, so the watch lists again. */
    EXPIRED,
    /** 429 Too Many Requests. */
    THROTTLED,
    /** 401 or 403: credentials or RBAC. */
    UNAUTHORIZED,
    /** Another HTTP 4xx status, as a response or as an ERROR event in the stream. */
    HTTP_4XX,
    /** An HTTP 5xx status (or any other non-4xx code). */
    HTTP_5XX,
    /** No bytes for watch.idle-timeout: a half-open connection. */
    IDLE_TIMEOUT,
    /** A line that is not a usable event. */
    MALFORMED,
    /** The connection could not be opened or broke (refused, reset, cut mid-line, TLS). */
    CONNECTION,
    /** Anything else: a bug or a failure nobody foresaw. */
    UNEXPECTED;

    public static RestartCause of(Throwable failure) {
        if (failure instanceof ApiException api) {
            if (api.isExpired()) {
                return EXPIRED;
            }
            if (api.isThrottled()) {
                return THROTTLED;
            }
            if (api.isAuthorizationFailure()) {
                return UNAUTHORIZED;
            }
            return api.code() >= 400 && api.code() < 500 ? HTTP_4XX : HTTP_5XX;
        }
        if (failure instanceof SocketTimeoutException) {
            return IDLE_TIMEOUT;
        }
        if (failure instanceof MalformedEventException) {
            return MALFORMED;
        }
        if (failure instanceof java.io.IOException) {
            return CONNECTION;
        }
        return UNEXPECTED;
    }

    /** The label value: {@code http-4xx}, {@code idle-timeout}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
