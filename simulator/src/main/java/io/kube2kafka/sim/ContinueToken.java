package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/**
 * The opaque "continue" value of a paginated list, encoded like the real storage layer does:
 * unpadded base64url of {"v":"meta.k8s.io/v1","rv":N,"start":"lastKey\u0000"}. The snapshot
 * version travels in the token, which is how later pages stay consistent with the first.
 */
record ContinueToken(long resourceVersion, String lastKey) {

  String encode() {
    ObjectNode json = Json.object();
    json.put("v", "meta.k8s.io/v1");
    json.put("rv", resourceVersion);
    json.put("start", lastKey + "\u0000"); // the next key after lastKey in etcd's byte order
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(json));
  }

  /** @throws IllegalArgumentException with a message fit for a 400 BadRequest Status */
  static ContinueToken decode(String token) {
    try {
      JsonNode json = Json.parse(Base64.getUrlDecoder().decode(token));
      String start = json.path("start").asText();
      if (!json.path("v").asText().equals("meta.k8s.io/v1") || !json.path("rv").canConvertToLong() || !start.endsWith("\u0000")) {
        throw new IllegalArgumentException("unsupported continue token");
      }
      return new ContinueToken(json.get("rv").asLong(), start.substring(0, start.length() - 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("continue key is not valid: " + e.getMessage(), e);
    }
  }
}
