package io.kube2kafka.sim;

import io.kube2kafka.cluster.ConnectionResolver;
import io.kube2kafka.cluster.ConnectionSettings;
import io.kube2kafka.testing.LoopbackTls;
import io.kube2kafka.watch.ApiClient;
import io.kube2kafka.watch.ClusterConnection;
import io.kube2kafka.watch.WatchLineReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulated API server over HTTP/2 and TLS, seen through the bridge's own client. */
class Http2TransportTest {
  @TempDir Path dir;
  private SimulatedApiServer server;
  private LoopbackTls tls;

  @BeforeEach
  void start() {
    tls = LoopbackTls.issue(dir);
    server = SimulatedApiServer.builder().transport(Http2Transport.overTls(tls.server())).build().start();
    server.addStandardResources();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ApiClient client(boolean http2) throws Exception {
    return client(http2, Map.of());
  }

  /** @param environment what the process would see, e.g. DISABLE_HTTP2 */
  private ApiClient client(boolean http2, Map<String, String> environment) throws Exception {
    ClusterConnection connection = new ConnectionResolver(environment, dir, dir, java.time.Clock.systemUTC())
        .resolve(new ConnectionSettings("", "", server.url().toString(), "", "", tls.caFile().toString(), false, http2));
    return new ApiClient(connection, Duration.ofSeconds(30));
  }

  private List<String> protocols() {
    return server.requests().stream().map(RecordedRequest::protocol).distinct().toList();
  }

  @Test
  void listsAndWatchesOverHttp2WithEachEventArrivingAsItHappens() throws Exception {
    server.create("pods", "default", "before", Map.of());
    ApiClient client = client(true);
    String listed = client.getJson("/api/v1/pods").path("metadata").path("resourceVersion").asText();
    assertEquals("https", server.url().getScheme());
    try (ApiClient.WatchStream watch = client.watch("/api/v1/pods", Map.of("watch", "1", "resourceVersion", listed))) {
      WatchLineReader reader = new WatchLineReader(watch.body(), 1 << 20);
      server.create("pods", "default", "after", Map.of());
      String line = new String(reader.nextLine(), StandardCharsets.UTF_8);
      assertTrue(line.startsWith("{\"type\":\"ADDED\"") && line.contains("\"name\":\"after\""), line);
      server.create("pods", "default", "later", Map.of());
      assertTrue(new String(reader.nextLine(), StandardCharsets.UTF_8).contains("\"name\":\"later\""));
    }
    assertEquals(List.of("HTTP/2.0"), protocols(), "every request went over HTTP/2");
  }

  @Test
  void aClientThatForbidsHttp2GetsHttp11FromTheSameServer() throws Exception {
    client(false).getJson("/api/v1/pods");
    assertEquals(List.of("HTTP/1.1"), protocols());
  }

  @Test
  void disableHttp2InTheEnvironmentForcesHttp11AsInClientGo() throws Exception {
    client(true, Map.of("DISABLE_HTTP2", "1")).getJson("/api/v1/pods");
    assertEquals(List.of("HTTP/1.1"), protocols());
  }

  @Test
  void aLineCutMidwayResetsTheStreamAndIsNeverReadAsAnEvent() throws Exception {
    server.setChunking(Chunking.randomSplits(3));
    ApiClient client = client(true);
    try (ApiClient.WatchStream watch = client.watch("/api/v1/configmaps", Map.of("watch", "1"))) {
      WatchLineReader reader = new WatchLineReader(watch.body(), 1 << 20);
      server.create("configmaps", "default", "whole", Map.of());
      assertTrue(new String(reader.nextLine(), StandardCharsets.UTF_8).contains("\"name\":\"whole\""),
          "a line split across DATA frames arrives whole");
      server.dropWatchConnectionsMidLine();
      server.create("configmaps", "default", "cut", Map.of());
      IOException e = assertThrows(IOException.class, reader::nextLine);
      assertFalse(e.getMessage() == null, "the reset is reported: " + e);
    }
    // The connection survives the reset of one stream, as HTTP/2 intends.
    assertEquals(2, client.getJson("/api/v1/configmaps").path("items").size());
  }
}
