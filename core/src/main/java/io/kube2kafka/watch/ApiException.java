package io.kube2kafka.watch;

import java.io.IOException;
import java.time.Duration;

/**
 * The API server refused a request: an HTTP error status, or an ERROR event inside a watch stream.
 * {@link #isExpired()} and friends sort it, so the watch loop decides in one place what to do.
 */
public final class ApiException extends IOException {
    private final int code;
    private final String reason;
    private final Duration retryAfter;

    public ApiException(int code, String reason, String message, Duration retryAfter) {
        super("HTTP " + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ": " + message);
        this.code = code;
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** The server's Retry-After, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * The resourceVersion (or continue token) is older than the server's history: list again.
     * Servers say this as 410 Gone with reason Expired, or Gone on older versions; both mean the same.
     */
    public boolean isExpired() {
        return code == 410 || "Expired".equals(reason) || "Gone".equals(reason);
    }

    /** Credentials or RBAC are wrong: retrying fast cannot help, so it is retried slowly. */
    public boolean isAuthorizationFailure() {
        return code == 401 || code == 403;
    }

    public boolean isThrottled() {
        return code == 429;
    }
}
