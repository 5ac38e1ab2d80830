package io.kube2kafka.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DiscoveryAndErrorsTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private SimulatedApiServer server;

  @BeforeEach
  void start() {
    server = SimulatedApiServer.builder().token("s3cret").build().start();
    server.addStandardResources();
    server.addResource(new SimResource("example.com", "v1", "widgets", "Widget", true));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void discoveryDocumentsHaveTheRealShapes() throws Exception {
    JsonNode api = get("/api", "s3cret").body;
    assertEquals("APIVersions", api.get("kind").asText());
    assertEquals("v1", api.get("versions").get(0).asText());
    assertTrue(api.get("serverAddressByClientCIDRs").get(0).has("serverAddress"));

    JsonNode core = get("/api/v1", "s3cret").body;
    assertEquals("APIResourceList", core.get("kind").asText());
    assertEquals("v1", core.get("groupVersion").asText());
    JsonNode pods = find(core.get("resources"), "pods");
    assertEquals("pod", pods.get("singularName").asText());
    assertTrue(pods.get("namespaced").asBoolean());
    assertEquals("Pod", pods.get("kind").asText());
    assertEquals("po", pods.get("shortNames").get(0).asText());
    assertTrue(texts(pods.get("verbs")).containsAll(List.of("get", "list", "watch")));
    assertTrue(find(core.get("resources"), "pods/status") != null, "pods/status subresource");
    assertFalse(find(core.get("resources"), "namespaces").get("namespaced").asBoolean());

    JsonNode groups = get("/apis", "s3cret").body;
    assertEquals("APIGroupList", groups.get("kind").asText());
    JsonNode apps = null;
    for (JsonNode g : groups.get("groups")) {
      if (g.get("name").asText().equals("apps")) apps = g;
    }
    assertEquals("apps/v1", apps.get("preferredVersion").get("groupVersion").asText());
    assertEquals("v1", apps.get("versions").get(0).get("version").asText());
    assertTrue(groups.toString().contains("\"example.com\""));

    JsonNode appsV1 = get("/apis/apps/v1", "s3cret").body;
    assertEquals("deploy", find(appsV1.get("resources"), "deployments").get("shortNames").get(0).asText());
    assertEquals("Widget", find(get("/apis/example.com/v1", "s3cret").body.get("resources"), "widgets").get("kind").asText());

    JsonNode version = get("/version", "s3cret").body;
    assertEquals("1", version.get("major").asText());
    assertEquals("v1.31.0", version.get("gitVersion").asText());
  }

  @Test
  void anAggregatedGroupThatIsDownIsListedButAnswers503AndVerbsCanBeNarrowed() throws Exception {
    server.addResource(new SimResource("metrics.k8s.io", "v1beta1", "nodes", "NodeMetrics", false));
    server.setGroupUnavailable("metrics.k8s.io", true);
    server.setVerbs("configmaps", "get", "list");

    assertTrue(get("/apis", "s3cret").body.toString().contains("\"metrics.k8s.io\""), "kube-aggregator keeps listing the group");
    Reply discovery = get("/apis/metrics.k8s.io/v1beta1", "s3cret");
    assertEquals(503, discovery.status);
    assertStatus(discovery.body, 503, "ServiceUnavailable");
    assertEquals(503, get("/apis/metrics.k8s.io/v1beta1/nodes", "s3cret").status, "its resources are down too");
    assertEquals(List.of("get", "list"), texts(find(get("/api/v1", "s3cret").body.get("resources"), "configmaps").get("verbs")));

    server.setGroupUnavailable("metrics.k8s.io", false);
    assertEquals("NodeMetrics", find(get("/apis/metrics.k8s.io/v1beta1", "s3cret").body.get("resources"), "nodes").get("kind").asText());
  }

  @Test
  void unknownPathIsA404Status() throws Exception {
    Reply reply = get("/api/v1/nonsense", "s3cret");
    assertEquals(404, reply.status);
    assertStatus(reply.body, 404, "NotFound");
  }

  @Test
  void missingOrWrongTokenIs401() throws Exception {
    Reply none = get("/api/v1/pods", null);
    assertEquals(401, none.status);
    assertStatus(none.body, 401, "Unauthorized");
    assertEquals(401, get("/api/v1/pods", "wrong").status);
    assertEquals(200, get("/api/v1/pods", "s3cret").status);

    server.setToken("other");
    assertEquals(401, get("/api/v1/pods", "s3cret").status);
  }

  @Test
  void forbiddenResourceIs403WithAnRbacMessage() throws Exception {
    server.forbid("secrets");
    Reply reply = get("/api/v1/secrets", "s3cret");
    assertEquals(403, reply.status);
    assertStatus(reply.body, 403, "Forbidden");
    assertEquals("secrets is forbidden: User \"system:serviceaccount:kube2kafka:kube2kafka\" cannot list resource "
        + "\"secrets\" in API group \"\" at the cluster scope", reply.body.get("message").asText());
    assertEquals(403, get("/api/v1/namespaces/default/secrets?watch=true", "s3cret").status);
    assertEquals(200, get("/api/v1/pods", "s3cret").status);
  }

  @Test
  void injectedFailuresComeFirstThenNormalService() throws Exception {
    server.failNextRequests(2, 429, "1");
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> reply = send("/version", "s3cret");
      assertEquals(429, reply.statusCode());
      assertEquals("1", reply.headers().firstValue("Retry-After").orElse(null));
      assertStatus(RawHttpClient.MAPPER.readTree(reply.body()), 429, "TooManyRequests");
    }
    assertEquals(200, get("/version", "s3cret").status);
    assertEquals(3, server.requests().size());
    assertEquals("/version", server.requests().get(0).path());
  }

  @Test
  void selfSubjectAccessReviewsAnswerFromTheSameRulesAsReads() throws Exception {
    server.forbid("deployments.apps");
    JsonNode groups = get("/apis", "s3cret").body;
    assertTrue(groups.get("groups").findValuesAsText("name").contains("authorization.k8s.io"), groups.toString());
    assertTrue(find(get("/apis/authorization.k8s.io/v1", "s3cret").body.get("resources"), "selfsubjectaccessreviews") != null);

    Reply pods = review("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
        + "\"spec\":{\"resourceAttributes\":{\"verb\":\"watch\",\"group\":\"\",\"resource\":\"pods\"}}}");
    assertEquals(201, pods.status());
    assertEquals("pods", pods.body().path("spec").path("resourceAttributes").path("resource").asText(), "the review comes back");
    assertTrue(pods.body().path("status").path("allowed").asBoolean());

    Reply deployments = review("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
        + "\"spec\":{\"resourceAttributes\":{\"verb\":\"list\",\"group\":\"apps\",\"resource\":\"deployments\",\"namespace\":\"shop\"}}}");
    assertFalse(deployments.body().path("status").path("allowed").asBoolean());
    assertEquals(403, send("/apis/apps/v1/namespaces/shop/deployments", "s3cret").statusCode(), "the review and the read agree");

    Reply malformed = review("{\"kind\":\"SelfSubjectAccessReview\",\"spec\":{}}");
    assertEquals(400, malformed.status());
    assertTrue(malformed.body().path("message").asText().contains("spec.resourceAttributes.resource"), malformed.body().toString());
  }

  private Reply review(String json) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"))
        .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer s3cret").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), RawHttpClient.MAPPER.readTree(response.body()));
  }

  record Reply(int status, JsonNode body) {}

  private Reply get(String target, String token) throws Exception {
    HttpResponse<String> response = send(target, token);
    return new Reply(response.statusCode(), RawHttpClient.MAPPER.readTree(response.body()));
  }

  private HttpResponse<String> send(String target, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + target)).timeout(Duration.ofSeconds(5));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void assertStatus(JsonNode status, int code, String reason) {
    assertEquals("Status", status.get("kind").asText());
    assertEquals("v1", status.get("apiVersion").asText());
    assertEquals("Failure", status.get("status").asText());
    assertEquals(reason, status.get("reason").asText());
    assertEquals(code, status.get("code").asInt());
    assertTrue(status.has("metadata") && status.has("message"));
  }

  private static JsonNode find(JsonNode resources, String name) {
    for (JsonNode r : resources) {
      if (r.get("name").asText().equals(name)) return r;
    }
    return null;
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
