package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * authorization.k8s.io/v1 SelfSubjectAccessReviews: "may I do this verb on this resource?", answered
 * from the same rules the server enforces ({@link SimulatedApiServer#forbid}), so a client's
 * preflight and its real requests agree. POST the review; the answer is it with {@code status}
 * filled in (201 Created), as the real server does.
 */
final class AccessReviews {
  static final String GROUP = "authorization.k8s.io";
  static final String VERSION = "v1";
  static final String PATH = "/apis/" + GROUP + "/" + VERSION + "/selfsubjectaccessreviews";

  private AccessReviews() {}

  static ObjectNode groupEntry() {
    return Discovery.group(GROUP, List.of(VERSION));
  }

  static ObjectNode groupDocument() {
    ObjectNode doc = groupEntry();
    doc.put("kind", "APIGroup").put("apiVersion", "v1");
    return doc;
  }

  static ObjectNode resourceList() {
    ObjectNode doc = Json.object();
    doc.put("kind", "APIResourceList").put("apiVersion", "v1").put("groupVersion", GROUP + "/" + VERSION);
    ObjectNode review = doc.putArray("resources").addObject();
    review.put("name", "selfsubjectaccessreviews").put("singularName", "selfsubjectaccessreview")
        .put("namespaced", false).put("kind", "SelfSubjectAccessReview");
    review.putArray("verbs").add("create");
    return doc;
  }

  /**
   * @param forbidden qualified names ("pods", "deployments.apps") whose reads answer 403
   * @throws IllegalArgumentException naming what is wrong with the review
   */
  static ObjectNode review(byte[] body, Set<String> forbidden) {
    JsonNode request = Json.parse(body);
    if (request == null || !"SelfSubjectAccessReview".equals(request.path("kind").asText())) {
      throw new IllegalArgumentException("expected kind SelfSubjectAccessReview");
    }
    JsonNode attributes = request.path("spec").path("resourceAttributes");
    if (!attributes.isObject() || attributes.path("resource").asText().isEmpty()) {
      throw new IllegalArgumentException("spec.resourceAttributes.resource is required");
    }
    String group = attributes.path("group").asText("");
    String resource = attributes.path("resource").asText();
    String qualified = group.isEmpty() ? resource : resource + "." + group;
    boolean readVerb = List.of("get", "list", "watch").contains(attributes.path("verb").asText());
    ObjectNode answer = request.deepCopy();
    answer.putObject("metadata").put("creationTimestamp", (String) null);
    // RBAC grants read access to everything here except forbidden resources, and nothing else.
    boolean allowed = readVerb && !forbidden.contains(qualified);
    ObjectNode status = answer.putObject("status");
    status.put("allowed", allowed);
    if (!allowed) {
      status.put("reason", "");
    }
    return answer;
  }
}
