package io.kube2kafka.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The API server refused a request: an HTTP error status, or an ERROR event inside a watch stream.
 * {@link #isExpired()} and friends sort it, so the watch loop decides in one place what to do.
 */
public final class ApiException extends IOException {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int code;
    private final String reason;
    private final Duration retryAfter;
    /** The reasons of the Status's details.causes (metav1.CauseType), e.g. ResourceVersionTooLarge. */
    private final List<String> causes;

    public ApiException(int code, String reason, String message, Duration retryAfter) {
        this(code, reason, message, retryAfter, List.of());
    }

    public ApiException(int code, String reason, String message, Duration retryAfter, List<String> causes) {
        super("HTTP " + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ": " + message);
        this.code = code;
        this.reason = reason;
        this.retryAfter = retryAfter;
        this.causes = List.copyOf(causes);
    }

    /**
     * From a metav1.Status, whether it came as an error response's body or inside a watch ERROR event.
     *
     * @param code the HTTP status, or for an ERROR event the Status's own code; the Status's code only when this is 0
     * @param reason used when the Status has none
     * @param message used when the Status has none
     */
    public static ApiException fromStatus(JsonNode status, int code, String reason, String message, Duration retryAfter) {
        List<String> causes = new ArrayList<>();
        for (JsonNode cause : status.path("details").path("causes")) {
            if (cause.hasNonNull("reason")) {
                causes.add(cause.get("reason").asText());
            }
        }
        return new ApiException(code > 0 ? code : status.path("code").asInt(0), status.path("reason").asText(reason),
                status.path("message").asText(message), retryAfter, causes);
    }

    /**
     * From a watch ERROR event. The streaming parser reads only code, reason and message; the rare
     * ERROR line is read whole here for the Status's causes.
     */
    static ApiException fromErrorEvent(byte[] line, WatchLineParser.ParsedLine parsed) {
        String message = parsed.statusMessage() == null ? "ERROR event in the watch stream" : parsed.statusMessage();
        JsonNode status;
        try {
            status = JSON.readTree(line).path("object");
        } catch (IOException e) {
            // The streaming parser accepted the line, so this cannot happen; without causes the error is still sorted by code.
            status = JSON.createObjectNode();
        }
        return fromStatus(status, parsed.statusCode(), parsed.statusReason(), message, null);
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

    /**
     * The request asked for a resourceVersion the server has not reached: a lagging API server, or a
     * cluster restored from a backup or rebuilt under the same name. As client-go's reflector decides
     * it (isTooLargeResourceVersionError, tools/cache/reflector.go): the cause ResourceVersionTooLarge,
     * or, from servers before 1.18.6 that set no cause type, a 504 Timeout whose message says
     * "Too large resource version".
     */
    public boolean isResourceVersionTooLarge() {
        return causes.contains("ResourceVersionTooLarge")
                || (code == 504 || "Timeout".equals(reason)) && getMessage().contains("Too large resource version");
    }

    public boolean isThrottled() {
        return code == 429;
    }
}
