package io.kube2kafka.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ListTest {
  private SimulatedApiServer server;
  private RawHttpClient client;

  @BeforeEach
  void start() throws Exception {
    server = SimulatedApiServer.builder().build().start();
    server.addStandardResources();
    client = new RawHttpClient(server.url());
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close();
  }

  @Test
  void paginatedListIsAConsistentSnapshotAndBuiltInItemsLackKind() throws Exception {
    for (int i = 1; i <= 5; i++) {
      server.create("pods", "default", "web-" + i, Map.of("app", "web"));
    }
    JsonNode first = list("/api/v1/pods?limit=2");
    assertEquals("PodList", first.get("kind").asText());
    assertEquals("v1", first.get("apiVersion").asText());
    String snapshotVersion = first.get("metadata").get("resourceVersion").asText();
    assertEquals(server.currentResourceVersion(), snapshotVersion);
    assertEquals(3, first.get("metadata").get("remainingItemCount").asInt());

    // Changes after the first page must not show on later pages.
    server.delete("pods", "default", "web-4");
    server.create("pods", "default", "web-6", Map.of("app", "web"));
    server.update("pods", "default", "web-3", p -> p.with("metadata").with("labels").put("app", "changed"));

    List<String> names = new ArrayList<>();
    JsonNode page = first;
    while (true) {
      assertEquals(snapshotVersion, page.get("metadata").get("resourceVersion").asText());
      for (JsonNode item : page.get("items")) {
        assertFalse(item.has("kind") || item.has("apiVersion"), "built-in list items carry no kind: " + item);
        assertTrue(item.get("metadata").has("uid"));
        names.add(item.get("metadata").get("name").asText());
        if (item.get("metadata").get("name").asText().equals("web-3")) {
          assertEquals("web", item.get("metadata").get("labels").get("app").asText(), "snapshot state of web-3");
        }
      }
      JsonNode next = page.get("metadata").get("continue");
      if (next == null) break;
      page = list("/api/v1/pods?limit=2&continue=" + URLEncoder.encode(next.asText(), StandardCharsets.UTF_8));
    }
    assertEquals(List.of("web-1", "web-2", "web-3", "web-4", "web-5"), names);
    assertEquals(5, server.liveObjects("pods").size());
  }

  @Test
  void continueTokenFromACompactedSnapshotIs410Expired() throws Exception {
    for (int i = 1; i <= 3; i++) {
      server.create("configmaps", "default", "cm-" + i, Map.of());
    }
    String next = list("/api/v1/configmaps?limit=1").get("metadata").get("continue").asText();
    server.create("configmaps", "default", "cm-4", Map.of());
    server.compact();
    client.send("/api/v1/configmaps?limit=1&continue=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
    RawHttpClient.Head head = client.readHead();
    assertEquals(410, head.status());
    DiscoveryAndErrorsTest.assertStatus(client.readJsonBody(head), 410, "Expired");
  }

  @Test
  void customResourceItemsCarryKindAndApiVersion() throws Exception {
    server.addResource(new SimResource("example.com", "v1", "widgets", "Widget", true));
    server.create("widgets.example.com", "default", "w1", Map.of());
    JsonNode widgets = list("/apis/example.com/v1/namespaces/default/widgets");
    assertEquals("WidgetList", widgets.get("kind").asText());
    JsonNode item = widgets.get("items").get(0);
    assertEquals("Widget", item.get("kind").asText());
    assertEquals("example.com/v1", item.get("apiVersion").asText());
  }

  @Test
  void selectorsAndNamespacePathFilter() throws Exception {
    server.create("pods", "default", "a", Map.of("app", "web", "tier", "front"));
    server.create("pods", "default", "b", Map.of("app", "db"));
    server.create("pods", "other", "c", Map.of("app", "web"));
    assertEquals(List.of("a", "c"), names(list("/api/v1/pods?labelSelector=app%3Dweb")));
    assertEquals(List.of("a", "c"), names(list("/api/v1/pods?labelSelector=app%3D%3Dweb")));
    assertEquals(List.of("b"), names(list("/api/v1/pods?labelSelector=app!%3Dweb")));
    assertEquals(List.of("a"), names(list("/api/v1/pods?labelSelector=app%3Dweb,tier%3Dfront")));
    assertEquals(List.of("a", "b"), names(list("/api/v1/pods?labelSelector=" + URLEncoder.encode("app in (web,db),app notin (x)", StandardCharsets.UTF_8) + "&fieldSelector=metadata.namespace%3Ddefault")));
    assertEquals(List.of("c"), names(list("/api/v1/namespaces/other/pods")));
    assertEquals(List.of("b"), names(list("/api/v1/pods?fieldSelector=metadata.name%3Db")));
  }

  @Test
  void objectsLookReal() {
    JsonNode pod = server.create("pods", "default", "web-1", Map.of("app", "web"));
    JsonNode meta = pod.get("metadata");
    assertEquals("Pod", pod.get("kind").asText());
    assertTrue(meta.get("uid").asText().length() == 36);
    assertTrue(meta.get("managedFields").size() >= 1);
    assertTrue(pod.get("spec").get("containers").get(0).has("image"));
    assertTrue(pod.get("status").has("podIP"));
    int size = pod.toString().getBytes(StandardCharsets.UTF_8).length;
    assertTrue(size > 1000 && size < 4000, "pod size " + size);
    JsonNode namespace = server.create("namespaces", null, "team-a", Map.of());
    assertFalse(namespace.get("metadata").has("namespace"));

    long before = Long.parseLong(server.currentResourceVersion());
    JsonNode updated = server.update("pods", "default", "web-1", p -> p.with("spec").put("nodeName", "n2"));
    assertEquals(before + 1, updated.get("metadata").get("resourceVersion").asLong());
    assertEquals(2, updated.get("metadata").get("generation").asInt());
    JsonNode deleted = server.delete("pods", "default", "web-1");
    assertEquals(before + 2, deleted.get("metadata").get("resourceVersion").asLong());
  }

  private JsonNode list(String target) throws Exception {
    client.send(target);
    RawHttpClient.Head head = client.readHead();
    assertEquals(200, head.status(), target);
    return client.readJsonBody(head);
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.get("items").forEach(i -> names.add(i.get("metadata").get("name").asText()));
    return names;
  }
}
