package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The metav1.Status objects the API server uses for every error, in the body or in a watch. */
final class Status {
  private Status() {}

  static ObjectNode failure(int code, String reason, String message) {
    ObjectNode status = Json.object();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    status.put("code", code);
    return status;
  }

  static ObjectNode failure(int code, String reason, String message, ObjectNode details) {
    ObjectNode status = failure(code, reason, message);
    status.set("details", details);
    // Field order on the wire does not matter to clients, but keep "code" last like the real server.
    status.remove("code");
    status.put("code", code);
    return status;
  }

  static ObjectNode details(String name, String group, String kind) {
    ObjectNode details = Json.object();
    if (name != null) {
      details.put("name", name);
    }
    if (group != null && !group.isEmpty()) {
      details.put("group", group);
    }
    details.put("kind", kind);
    return details;
  }

  /** The StatusReason the API server pairs with an HTTP code. */
  static String reasonFor(int code) {
    return switch (code) {
      case 400 -> "BadRequest";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 405 -> "MethodNotAllowed";
      case 409 -> "AlreadyExists";
      case 410 -> "Expired";
      case 429 -> "TooManyRequests";
      case 503 -> "ServiceUnavailable";
      case 504 -> "Timeout";
      default -> code >= 500 ? "InternalError" : "Unknown";
    };
  }

  static ObjectNode forCode(int code, String message) {
    return failure(code, reasonFor(code), message);
  }

  /**
   * The apiserver's storage.NewTooLargeResourceVersionError (k8s.io/apiserver/pkg/storage/errors.go):
   * errors.NewTimeoutError, so HTTP 504 with reason Timeout and the message prefixed "Timeout: ",
   * retryAfterSeconds 1 (the watch cache's resourceVersionTooHighRetrySeconds), and one cause of type
   * ResourceVersionTooLarge, which client-go's reflector looks for (isTooLargeResourceVersionError).
   */
  static ObjectNode tooLargeResourceVersion(long requested, long current) {
    ObjectNode details = Json.object();
    details.putArray("causes").addObject().put("reason", "ResourceVersionTooLarge").put("message", "Too large resource version");
    details.put("retryAfterSeconds", 1);
    return failure(504, "Timeout", "Timeout: Too large resource version: " + requested + ", current: " + current, details);
  }

  static ObjectNode tooOldResourceVersion(long requested, long oldest) {
    return failure(410, "Expired", "too old resource version: " + requested + " (" + oldest + ")");
  }
}
