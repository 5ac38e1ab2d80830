package io.kube2kafka.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Streamed lists (WatchList, KEP-3157) as kube-apiserver serves them, and their faults. */
class WatchListTest {
  private static final String WATCH_LIST = "?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true";
  private SimulatedApiServer server;
  private RawHttpClient client;

  private void start() throws Exception {
    server = SimulatedApiServer.builder().build().start();
    server.addStandardResources();
    client = new RawHttpClient(server.url());
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) client.close();
    if (server != null) server.close();
  }

  @Test
  void theObjectsArriveAsAddedThenAnAnnotatedBookmarkAtTheListVersionThenTheChanges() throws Exception {
    start();
    server.create("pods", "default", "web-1", Map.of("app", "web"));
    server.create("pods", "default", "web-2", Map.of("app", "web"));
    server.create("pods", "default", "db", Map.of("app", "db"));
    String listVersion = server.currentResourceVersion();

    open("/api/v1/pods" + WATCH_LIST + "&labelSelector=app%3Dweb");
    Set<String> added = new TreeSet<>();
    for (int i = 0; i < 2; i++) {
      JsonNode event = client.readEvent();
      assertEquals("ADDED", event.get("type").asText());
      added.add(event.get("object").get("metadata").get("name").asText());
    }
    assertEquals(Set.of("web-1", "web-2"), added, "the selector applies to the initial events");
    JsonNode bookmark = client.readEvent();
    assertEquals("BOOKMARK", bookmark.get("type").asText());
    assertEquals(listVersion, bookmark.get("object").get("metadata").get("resourceVersion").asText());
    assertEquals("true", bookmark.get("object").get("metadata").get("annotations").get("k8s.io/initial-events-end").asText());

    server.create("pods", "default", "web-3", Map.of("app", "web"));
    JsonNode later = client.readEvent();
    assertEquals("ADDED", later.get("type").asText());
    assertEquals("web-3", later.get("object").get("metadata").get("name").asText(), "changes follow on the same stream");
    assertTrue(server.requests().get(0).isWatchList());
    assertFalse(server.requests().get(0).isPaginatedList());
  }

  @Test
  void withTheFeatureGateOffTheRequestIsRefusedWith422InvalidInKubeApiserversWords() throws Exception {
    start();
    server.setWatchList(false);
    client.send("/api/v1/pods" + WATCH_LIST);
    RawHttpClient.Head head = client.readHead();
    assertEquals(422, head.status());
    JsonNode status = client.readJsonBody(head);
    assertEquals("Invalid", status.get("reason").asText());
    assertEquals(422, status.get("code").asInt());
    assertEquals("ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch "
        + "unless the WatchList feature gate is enabled", status.get("message").asText());
    JsonNode cause = status.get("details").get("causes").get(0);
    assertEquals("FieldValueForbidden", cause.get("reason").asText());
    assertEquals("sendInitialEvents", cause.get("field").asText());

    // An ordinary watch is still served.
    client.send("/api/v1/pods?watch=1&resourceVersion=" + server.currentResourceVersion());
    assertEquals(200, client.readHead().status());
  }

  @Test
  void sendInitialEventsWithoutResourceVersionMatchIsInvalidAsOnARealServer() throws Exception {
    start();
    client.send("/api/v1/pods?watch=1&sendInitialEvents=true");
    RawHttpClient.Head head = client.readHead();
    assertEquals(422, head.status());
    assertEquals("ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting "
        + "resourceVersionMatch to NotOlderThan", client.readJsonBody(head).get("message").asText());
  }

  @Test
  void aStreamEndedBeforeTheBookmarkEndsCleanlyAfterItsInitialEventsAndOnlyOnce() throws Exception {
    start();
    server.create("pods", "default", "a", Map.of());
    server.endWatchListsBeforeBookmark(1, 5);

    open("/api/v1/pods" + WATCH_LIST);
    assertEquals("ADDED", client.readEvent().get("type").asText());
    RawHttpClient.Chunk end = client.readChunk();
    assertEquals(0, end.declaredSize(), "the terminating chunk where the bookmark was due: it looks like a normal end");

    open("/api/v1/pods" + WATCH_LIST);
    assertEquals("ADDED", client.readEvent().get("type").asText());
    assertEquals("BOOKMARK", client.readEvent().get("type").asText(), "the next stream is complete");
  }

  @Test
  void aStreamCanBeCutAfterSomeOfItsInitialEvents() throws Exception {
    start();
    for (String name : new String[] {"a", "b", "c"}) {
      server.create("configmaps", "default", name, Map.of());
    }
    server.endWatchListsBeforeBookmark(1, 2);

    open("/api/v1/configmaps" + WATCH_LIST);
    assertEquals("ADDED", client.readEvent().get("type").asText());
    assertEquals("ADDED", client.readEvent().get("type").asText());
    assertEquals(0, client.readChunk().declaredSize(), "ended after two of the three objects");
  }

  private void open(String target) throws Exception {
    client.send(target);
    RawHttpClient.Head head = client.readHead();
    assertEquals(200, head.status());
    assertTrue(head.chunked());
  }
}
