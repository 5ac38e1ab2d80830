package io.kube2kafka.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A benchmark's raw list pages through every object once, at one resourceVersion, like a stored list. */
class RawListTest {
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

  /** Seven pods p0..p6, written on demand; returns the first one's resourceVersion. */
  private long sevenRawPods() {
    long first = server.reserveResourceVersions(7);
    server.serveRawList("pods", new RawListSource() {
      @Override
      public int size() {
        return 7;
      }

      @Override
      public void appendItem(int index, StringBuilder json) {
        json.append("{\"metadata\":{\"name\":\"p").append(index).append("\",\"resourceVersion\":\"").append(first + index).append("\"}}");
      }
    });
    return first;
  }

  @Test
  void everyObjectOnceInPagesAtTheFirstPagesResourceVersion() throws Exception {
    long first = sevenRawPods();
    JsonNode page = get("/api/v1/pods?limit=3", 200);
    String listVersion = page.get("metadata").get("resourceVersion").asText();
    assertEquals(4, page.get("metadata").get("remainingItemCount").asInt());
    List<String> names = new ArrayList<>();
    while (true) {
      assertEquals(listVersion, page.get("metadata").get("resourceVersion").asText(), "every page at the first page's version");
      page.get("items").forEach(item -> names.add(item.get("metadata").get("name").asText()));
      if (!page.get("metadata").has("continue")) {
        break;
      }
      server.reserveResourceVersions(1); // the server moves on; the list does not
      page = get("/api/v1/pods?limit=3&continue="
          + URLEncoder.encode(page.get("metadata").get("continue").asText(), StandardCharsets.UTF_8), 200);
    }
    assertEquals(List.of("p0", "p1", "p2", "p3", "p4", "p5", "p6"), names);
    assertFalse(Long.parseLong(listVersion) < first + 6, "no object is newer than its list");
    assertEquals(400, status("/api/v1/pods?labelSelector=app%3Dweb"), "selectors are not served from a raw source");
  }

  @Test
  void aWatchListStreamsEveryObjectOnceAsAddedThenTheBookmarkEndingThemAndStaysOpen() throws Exception {
    long first = sevenRawPods();
    String listVersion = server.currentResourceVersion();
    client.send("/api/v1/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true");
    assertEquals(200, client.readHead().status());
    List<String> names = new ArrayList<>();
    JsonNode event = client.readEvent();
    while (event.get("type").asText().equals("ADDED")) {
      JsonNode pod = event.get("object");
      assertEquals("Pod", pod.get("kind").asText(), "a watch event's object is a whole object, with its kind");
      assertEquals("v1", pod.get("apiVersion").asText());
      names.add(pod.get("metadata").get("name").asText());
      event = client.readEvent();
    }
    assertEquals(List.of("p0", "p1", "p2", "p3", "p4", "p5", "p6"), names, "every object once");
    assertEquals("BOOKMARK", event.get("type").asText());
    assertEquals(listVersion, event.get("object").get("metadata").get("resourceVersion").asText(), "at the list's version");
    assertFalse(Long.parseLong(listVersion) < first + 6, "no object is newer than its list");
    assertEquals("true", event.get("object").get("metadata").get("annotations").get("k8s.io/initial-events-end").asText());

    server.create("pods", "default", "later", java.util.Map.of());
    JsonNode later = client.readEvent();
    assertEquals("later", later.get("object").get("metadata").get("name").asText(), "the watch stays open for the changes");
  }

  @Test
  void aWatchListOfARawSourceWithASelectorIsRefused() throws Exception {
    sevenRawPods();
    assertEquals(400, status("/api/v1/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&labelSelector=app%3Dweb"));
  }

  private JsonNode get(String target, int status) throws Exception {
    client.send(target);
    RawHttpClient.Head head = client.readHead();
    assertEquals(status, head.status(), target);
    return client.readJsonBody(head);
  }

  private int status(String target) throws Exception {
    client.send(target);
    RawHttpClient.Head head = client.readHead();
    client.readJsonBody(head);
    return head.status();
  }
}
