package io.kube2kafka.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube2kafka.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** metadata.managedFields as the simulated server keeps it: one entry per manager and operation, timed like the real one's. */
class FieldManagerTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-30T10:00:00.250Z"));
  private SimulatedApiServer server;

  @BeforeEach
  void start() {
    server = SimulatedApiServer.builder().clock(clock).build().start();
    server.addStandardResources();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static List<String> summary(ObjectNode object) {
    List<String> entries = new ArrayList<>();
    for (JsonNode entry : object.path("metadata").path("managedFields")) {
      entries.add(entry.path("manager").asText() + " " + entry.path("operation").asText() + " " + entry.path("time").asText());
    }
    return entries;
  }

  @Test
  void aNewObjectCarriesItsCreatorsEntryInWholeSeconds() {
    ObjectNode pod = server.create("pods", "default", "web-1", Map.of("app", "web"));
    assertEquals(List.of("kubectl-client-side-apply Update 2026-11-30T10:00:00Z"), summary(pod));
    JsonNode entry = pod.path("metadata").path("managedFields").get(0);
    assertEquals("v1", entry.path("apiVersion").asText());
    assertEquals("FieldsV1", entry.path("fieldsType").asText());
    assertTrue(entry.path("fieldsV1").path("f:metadata").path("f:labels").has("f:app"), entry.toString());
    assertEquals("2026-11-30T10:00:00Z", pod.path("metadata").path("creationTimestamp").asText());
  }

  @Test
  void eachWriterGetsItsOwnEntrySortedAsTheApiServerSortsThem() {
    server.create("deployments.apps", "default", "web", Map.of("app", "web"));
    clock.advance(Duration.ofSeconds(5));
    server.update("deployments.apps", "default", "web", "argocd-controller", "Apply",
        d -> d.with("spec").put("replicas", 3));
    clock.advance(Duration.ofSeconds(5));
    ObjectNode last = server.update("deployments.apps", "default", "web", d -> d.with("metadata").with("labels").put("tier", "front"));

    // Apply entries first, then Update entries by time (sortEncodedManagedFields).
    assertEquals(List.of("argocd-controller Apply 2026-11-30T10:00:05Z", "kubectl-client-side-apply Update 2026-11-30T10:00:00Z",
        "kube-controller-manager Update 2026-11-30T10:00:10Z"), summary(last));
    JsonNode applied = last.path("metadata").path("managedFields").get(0).path("fieldsV1");
    assertTrue(applied.has("f:spec"), "the applier owns what it changed: " + applied);
    assertTrue(last.path("metadata").path("managedFields").get(2).path("fieldsV1").path("f:metadata").path("f:labels").has("f:tier"));

    clock.advance(Duration.ofSeconds(5));
    ObjectNode again = server.update("deployments.apps", "default", "web", "argocd-controller", "Apply",
        d -> d.with("spec").put("replicas", 4));
    assertEquals("argocd-controller Apply 2026-11-30T10:00:15Z", summary(again).get(0), "the same manager's entry moves on");
    assertEquals(3, summary(again).size());
  }

  @Test
  void anOperationOtherThanApplyOrUpdateIsRefused() {
    server.create("pods", "default", "web-1", Map.of());
    assertThrows(IllegalArgumentException.class, () -> server.update("pods", "default", "web-1", "me", "Patch", p -> { }));
  }
}
