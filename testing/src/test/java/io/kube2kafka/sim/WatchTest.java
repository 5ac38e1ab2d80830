package io.kube2kafka.sim;

import io.kube2kafka.testing.Await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchTest {
  private static final Duration AWAIT = Duration.ofSeconds(5);
  private SimulatedApiServer server;
  private RawHttpClient client;

  private void start(SimulatedApiServer.Builder builder) throws Exception {
    server = builder.build().start();
    server.addStandardResources();
    client = new RawHttpClient(server.url());
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) client.close();
    if (server != null) server.close();
  }

  @Test
  void watchFromAListVersionDeliversALaterCreateAsOneLine() throws Exception {
    start(SimulatedApiServer.builder());
    server.create("pods", "default", "before", Map.of());
    client.send("/api/v1/pods");
    String listVersion = client.readJsonBody(client.readHead()).get("metadata").get("resourceVersion").asText();

    watch("/api/v1/namespaces/default/pods?watch=1&resourceVersion=" + listVersion);
    server.create("pods", "default", "after", Map.of());
    String line = client.readLine();
    assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, "one newline-terminated line");
    JsonNode event = RawHttpClient.MAPPER.readTree(line);
    assertEquals("ADDED", event.get("type").asText());
    assertEquals("after", event.get("object").get("metadata").get("name").asText());
    assertEquals("Pod", event.get("object").get("kind").asText(), "watch objects carry kind");
    assertEquals("v1", event.get("object").get("apiVersion").asText());
    assertEquals(server.currentResourceVersion(), event.get("object").get("metadata").get("resourceVersion").asText());
  }

  @Test
  void watchReplaysHistoryThenLiveAndFromZeroSynthesizesAdded() throws Exception {
    start(SimulatedApiServer.builder());
    server.create("configmaps", "default", "a", Map.of());
    String version = server.currentResourceVersion();
    server.update("configmaps", "default", "a", c -> c.with("data").put("k", "v"));
    server.delete("configmaps", "default", "a");
    server.create("configmaps", "default", "b", Map.of());

    watch("/api/v1/configmaps?watch=true&resourceVersion=" + version);
    assertEquals("MODIFIED", client.readEvent().get("type").asText());
    JsonNode deleted = client.readEvent();
    assertEquals("DELETED", deleted.get("type").asText());
    assertEquals("v", deleted.get("object").get("data").get("k").asText(), "final state");
    assertEquals("ADDED", client.readEvent().get("type").asText());

    try (RawHttpClient fromZero = new RawHttpClient(server.url())) {
      fromZero.send("/api/v1/configmaps?watch=1&resourceVersion=0");
      assertEquals(200, fromZero.readHead().status());
      JsonNode added = fromZero.readEvent();
      assertEquals("ADDED", added.get("type").asText());
      assertEquals("b", added.get("object").get("metadata").get("name").asText());
    }
  }

  @Test
  void objectLeavingTheSelectorIsDeletedAndReturningIsAdded() throws Exception {
    start(SimulatedApiServer.builder());
    server.create("pods", "default", "p", Map.of("app", "web"));
    watch("/api/v1/pods?watch=1&labelSelector=app%3Dweb&resourceVersion=" + server.currentResourceVersion());
    server.create("pods", "default", "other", Map.of("app", "db")); // never matches: not sent
    server.update("pods", "default", "p", o -> o.with("metadata").with("labels").put("app", "db"));
    JsonNode deleted = client.readEvent();
    assertEquals("DELETED", deleted.get("type").asText());
    assertEquals("p", deleted.get("object").get("metadata").get("name").asText());
    assertEquals("web", deleted.get("object").get("metadata").get("labels").get("app").asText(), "last matching content");
    assertEquals(server.currentResourceVersion(), deleted.get("object").get("metadata").get("resourceVersion").asText());

    server.update("pods", "default", "p", o -> o.with("metadata").with("labels").put("app", "web"));
    assertEquals("ADDED", client.readEvent().get("type").asText());
    server.update("pods", "default", "p", o -> o.with("status").put("phase", "Running"));
    assertEquals("MODIFIED", client.readEvent().get("type").asText());
  }

  @Test
  void bookmarksArriveWhenAskedFor() throws Exception {
    start(SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(100)));
    server.create("deployments.apps", "default", "d", Map.of());
    watch("/apis/apps/v1/deployments?watch=1&allowWatchBookmarks=true&resourceVersion=" + server.currentResourceVersion());
    JsonNode bookmark = client.readEvent();
    assertEquals("BOOKMARK", bookmark.get("type").asText());
    assertEquals("Deployment", bookmark.get("object").get("kind").asText());
    assertEquals("apps/v1", bookmark.get("object").get("apiVersion").asText());
    assertEquals(server.currentResourceVersion(), bookmark.get("object").get("metadata").get("resourceVersion").asText());
  }

  @Test
  void timeoutSecondsEndsTheStreamCleanlyAndKeepsTheConnection() throws Exception {
    start(SimulatedApiServer.builder());
    watch("/api/v1/pods?watch=1&timeoutSeconds=1");
    RawHttpClient.Chunk last = client.readChunk();
    assertEquals(0, last.declaredSize(), "terminating chunk");
    Await.until(() -> server.openWatchCount() == 0, AWAIT, "the watch is closed");
    client.send("/version");
    assertEquals(200, client.readHead().status(), "same connection serves the next request");
  }

  @Test
  void expiredVersionIsAnInStreamErrorEvent() throws Exception {
    start(SimulatedApiServer.builder().expiredWatch(ExpiredWatchMode.ERROR_EVENT));
    server.create("pods", "default", "p", Map.of());
    String old = server.currentResourceVersion();
    server.update("pods", "default", "p", o -> o.with("status").put("phase", "Running"));
    server.compact();
    watch("/api/v1/pods?watch=1&resourceVersion=" + old);
    JsonNode error = client.readEvent();
    assertEquals("ERROR", error.get("type").asText());
    DiscoveryAndErrorsTest.assertStatus(error.get("object"), 410, "Expired");
    assertEquals("too old resource version: " + old + " (" + server.currentResourceVersion() + ")",
        error.get("object").get("message").asText());
    assertEquals(0, client.readChunk().declaredSize(), "stream ends after the error");
  }

  @Test
  void expiredVersionIsHttp410() throws Exception {
    start(SimulatedApiServer.builder().expiredWatch(ExpiredWatchMode.HTTP_410));
    server.create("pods", "default", "p", Map.of());
    String old = server.currentResourceVersion();
    server.delete("pods", "default", "p");
    server.compact();
    client.send("/api/v1/pods?watch=1&resourceVersion=" + old);
    RawHttpClient.Head head = client.readHead();
    assertEquals(410, head.status());
    DiscoveryAndErrorsTest.assertStatus(client.readJsonBody(head), 410, "Expired");
  }

  @Test
  void oneByteAtATimeReallySplitsEveryLine() throws Exception {
    start(SimulatedApiServer.builder().chunking(Chunking.oneByteAtATime()));
    watch("/api/v1/configmaps?watch=1");
    server.create("configmaps", "default", "c", Map.of());
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int chunks = 0;
    while (line.size() == 0 || line.toByteArray()[line.size() - 1] != '\n') {
      RawHttpClient.Chunk chunk = client.readChunk();
      assertEquals(1, chunk.declaredSize(), "every chunk holds one byte");
      line.write(chunk.data());
      chunks++;
    }
    assertEquals(line.size(), chunks);
    String text = line.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("Grüße 🚀"), text);
  }

  @Test
  void randomSplitsCutInsideAUtf8Character() throws Exception {
    start(SimulatedApiServer.builder().chunking(Chunking.randomSplits(42)));
    watch("/api/v1/pods?watch=1");
    server.create("pods", "default", "p", Map.of());
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    boolean cutInsideCharacter = false;
    int chunks = 0;
    while (line.size() == 0 || line.toByteArray()[line.size() - 1] != '\n') {
      RawHttpClient.Chunk chunk = client.readChunk();
      cutInsideCharacter |= line.size() > 0 && (chunk.data()[0] & 0xC0) == 0x80;
      line.write(chunk.data());
      chunks++;
    }
    assertTrue(chunks > 1, "the line was split");
    assertTrue(cutInsideCharacter, "a chunk began with a UTF-8 continuation byte");
    assertEquals("p", RawHttpClient.MAPPER.readTree(line.toByteArray()).get("object").get("metadata").get("name").asText());
  }

  @Test
  void droppedWatchLeavesAPartialLineAndNoTerminatingChunk() throws Exception {
    start(SimulatedApiServer.builder());
    watch("/api/v1/pods?watch=1");
    Await.until(() -> server.openWatchCount() == 1, AWAIT, "the watch is open");
    server.dropWatchConnectionsMidLine();
    server.create("pods", "default", "p", Map.of());
    RawHttpClient.Chunk partial = client.readChunk();
    assertTrue(partial.data().length > 0 && !partial.complete(), "cut inside the chunk");
    byte[] data = partial.data();
    assertTrue(data[data.length - 1] != '\n', "no newline: a partial line");
    assertNull(client.readChunk(), "no terminating chunk, just the end of the connection");
    Await.until(() -> server.openWatchCount() == 0, AWAIT, "the dropped watch is gone");
  }

  @Test
  void silencedWatchSendsNothingButStaysOpen() throws Exception {
    start(SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(50)));
    watch("/api/v1/pods?watch=1&allowWatchBookmarks=true");
    assertEquals("BOOKMARK", client.readEvent().get("type").asText());
    server.silenceWatchConnections();
    Await.until(() -> server.openWatchCount() == 1, AWAIT, "the watch is open");
    // Drain whatever was written before the silence took effect, then expect nothing at all.
    client.setReadTimeout(300);
    server.create("pods", "default", "p", Map.of());
    assertThrows(SocketTimeoutException.class, () -> {
      while (true) {
        assertNotNull(client.readLine()); // lines written before silence; a silenced watch never ends one
      }
    });
    assertEquals(1, server.openWatchCount(), "the socket is still open");
    client.close();
    Await.until(() -> server.openWatchCount() == 0, AWAIT, "the server notices the client left");
  }

  @Test
  void closeStopsEverythingPromptly() throws Exception {
    start(SimulatedApiServer.builder());
    watch("/api/v1/pods?watch=1");
    Await.until(() -> server.openWatchCount() == 1, AWAIT, "the watch is open");
    server.close();
    assertNull(client.readChunk(), "the watch connection is closed");
    assertEquals(0, server.openWatchCount());
    assertArrayEquals(new Thread[0], Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("sim-apiserver-" + server.port() + "-") && t.isAlive())
        .toArray(Thread[]::new));
  }

  @Test
  void removingACustomResourceDeletesItsObjectsThenEndsItsWatchesAndItsDiscovery() throws Exception {
    start(SimulatedApiServer.builder());
    server.addResource(new SimResource("example.com", "v1", "widgets", "Widget", true));
    server.create("widgets.example.com", "default", "w1", Map.of());
    watch("/apis/example.com/v1/widgets?watch=1&resourceVersion=" + server.currentResourceVersion());
    Await.until(() -> server.openWatchCount() == 1, AWAIT, "the watch is open");

    server.removeResource("widgets.example.com");

    JsonNode deleted = client.readEvent();
    assertEquals("DELETED", deleted.get("type").asText(), "the CRD's finalizer deletes the objects first");
    assertEquals("w1", deleted.get("object").get("metadata").get("name").asText());
    assertEquals(0, client.readChunk().declaredSize(), "then the watch ends cleanly, with the terminating chunk");
    try (RawHttpClient after = new RawHttpClient(server.url())) {
      after.send("/apis/example.com/v1/widgets");
      assertEquals(404, after.readHead().status(), "the resource is no longer served");
    }
    try (RawHttpClient discovery = new RawHttpClient(server.url())) {
      discovery.send("/apis");
      JsonNode groups = discovery.readJsonBody(discovery.readHead());
      assertFalse(groups.toString().contains("example.com"), "discovery no longer lists the group: " + groups);
    }
  }

  private void watch(String target) throws Exception {
    client.send(target);
    RawHttpClient.Head head = client.readHead();
    assertEquals(200, head.status());
    assertTrue(head.chunked());
    assertEquals("application/json", head.headers().get("content-type"));
  }
}
