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

  /**
   * One field's problem, as k8s.io/apimachinery/pkg/util/validation/field writes it.
   *
   * @param type "Forbidden" or "Unsupported value: \"X\": supported values: \"Y\"", the error's own words
   * @param reason the cause's reason: FieldValueForbidden, FieldValueNotSupported
   */
  record FieldError(String field, String type, String detail, String reason) {
    String message() {
      return detail == null ? type : type + ": " + detail;
    }
  }

  /**
   * errors.NewInvalid for ListOptions (k8s.io/apimachinery/pkg/api/errors): 422 Invalid, the message
   * {@code ListOptions.meta.k8s.io "" is invalid: } and the field errors (one as it is, several as an
   * aggregate in brackets), one cause per field error. The apiserver answers it when
   * ValidateListOptions (apis/meta/internalversion/validation) rejects a request's options.
   */
  static ObjectNode invalidListOptions(java.util.List<FieldError> errors) {
    java.util.List<String> each = errors.stream().map(e -> e.field() + ": " + e.message()).toList();
    String all = each.size() == 1 ? each.get(0) : "[" + String.join(", ", each) + "]";
    ObjectNode details = Json.object();
    details.put("group", "meta.k8s.io");
    details.put("kind", "ListOptions");
    com.fasterxml.jackson.databind.node.ArrayNode causes = details.putArray("causes");
    for (FieldError error : errors) {
      causes.addObject().put("reason", error.reason()).put("message", error.message()).put("field", error.field());
    }
    return failure(422, "Invalid", "ListOptions.meta.k8s.io \"\" is invalid: " + all, details);
  }

  static ObjectNode tooOldResourceVersion(long requested, long oldest) {
    return failure(410, "Expired", "too old resource version: " + requested + " (" + oldest + ")");
  }
}
