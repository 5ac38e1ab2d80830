package io.kube2kafka.ops;

import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.TopicContents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /metrics against what a consumer finds in the topics; /readyz across a broker outage. */
@ExtendWith(KafkaBroker.class)
class OpsServerTest {
    private SimulatedApiServer server;

    @BeforeEach
    void startCluster() {
        server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(300)).build().start();
        server.addStandardResources();
    }

    @AfterEach
    void stopCluster() {
        server.close();
    }

    @Test
    void metricsCountWhatTheTopicsHold(EmbeddedKafkaBroker broker) throws Exception {
        ClusterChurn churn = new ClusterChurn(server, List.of("pods", "configmaps"), 7);
        churn.populate(6);
        BridgeHarness harness = new BridgeHarness(broker, server,
                "resources = [ pods, { resource = configmaps, namespaces = [default, shop, payments] } ]");
        try (Bridge bridge = harness.startWatching()) {
            try (OpsServer ops = OpsServer.start("127.0.0.1", 0, bridge)) {
                churn.churn(60);
                harness.awaitTopicMatchesCluster("pods", "core", "pods");
                harness.awaitTopicMatchesCluster("configmaps", "core", "configmaps");

                Map<String, String> pods = Map.of("cluster", harness.cluster(), "resource", "core/v1/pods", "namespace", "");
                List<ConsumerRecord<byte[], byte[]>> podEvents = harness.read("core", "pods").events();
                // The topic shows a commit a moment before the publisher has counted it: await, don't race.
                Await.until(() -> sample(ops, "kube2kafka_records_published_total", pods) == podEvents.size(), Duration.ofSeconds(30),
                        "kube2kafka_records_published_total for pods equals the " + podEvents.size() + " event records in the topic");
                long fromWatch = podEvents.stream().filter(r -> "watch".equals(TopicContents.header(r, "kube2kafka.origin"))).count();
                double watchEvents = 0;
                for (String type : List.of("ADDED", "MODIFIED", "DELETED")) {
                    Map<String, String> labels = new java.util.HashMap<>(pods);
                    labels.put("type", type);
                    long inTopic = podEvents.stream().filter(r -> "watch".equals(TopicContents.header(r, "kube2kafka.origin"))
                            && type.equals(TopicContents.header(r, "k8s.type"))).count();
                    assertEquals(inTopic, sample(ops, "kube2kafka_watch_events_total", labels), type + " events read equal " + type + " records from the watch");
                    watchEvents += inTopic;
                }
                assertEquals(fromWatch, watchEvents);
                assertTrue(fromWatch > 0, "the churn produced watch events");

                // configmaps: one watch per namespace, and the three add up to the topic.
                double configmapRecords = 0;
                for (String namespace : List.of("default", "shop", "payments")) {
                    configmapRecords += sample(ops, "kube2kafka_records_published_total",
                            Map.of("cluster", harness.cluster(), "resource", "core/v1/configmaps", "namespace", namespace));
                }
                assertEquals(harness.read("core", "configmaps").events().size(), configmapRecords);

                String metrics = Scrape.get(ops.port(), "/metrics").body();
                assertEquals(1.0, Scrape.sample(metrics, "kube2kafka_watch_up", pods));
                assertEquals(1.0, Scrape.sample(metrics, "kube2kafka_watch_opened_total", pods), "one watch, no reconnect");
                assertEquals(0.0, Scrape.sample(metrics, "kube2kafka_watch_relists_total", pods));
                assertTrue(Scrape.sample(metrics, "kube2kafka_watch_lag_seconds", pods) >= 0);
                assertTrue(Scrape.sample(metrics, "kube2kafka_published_bytes_total", pods) > 0);
                // The counter moves just before the histogram observes: a scrape can fall between, so await.
                Await.until(() -> {
                    String now = Scrape.get(ops.port(), "/metrics").body();
                    double unobserved = Scrape.sample(now, "kube2kafka_transactions_total", Map.of())
                            - Scrape.sample(now, "kube2kafka_transaction_commit_seconds_count", Map.of());
                    return unobserved == 0;
                }, Duration.ofSeconds(30), "one commit-time observation per transaction, those before /metrics started included");
                assertTrue(Scrape.sample(metrics, "kube2kafka_producer_records_sent_total", Map.of()) >= podEvents.size());
                assertEquals(0.0, Scrape.sample(metrics, "kube2kafka_producer_record_errors_total", Map.of()));
                String rv = bridge.watchStatuses().get(0).resourceVersion();
                assertEquals(1.0, Scrape.sample(metrics, "kube2kafka_watch_info", Map.of("resource", "core/v1/pods", "resource_version", rv)),
                        "the info series carries the current resourceVersion " + rv + ":\n" + metrics);
                assertEquals(200, Scrape.get(ops.port(), "/healthz").statusCode());
                assertEquals(200, Scrape.get(ops.port(), "/readyz").statusCode());
            }
        }
    }

    @Test
    void readinessFollowsTheBrokerAndNamesWhatIsWrong(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(Files.createDirectories(dir.resolve("kafka")), 0, Map.of()).start();
        try {
            ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 11);
            churn.populate(3);
            // Fail a transaction within seconds of the outage rather than the production minute.
            BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]\n kafka.shutdown-timeout = 5s\n"
                    + " kafka.producer { \"max.block.ms\" = 3000, \"request.timeout.ms\" = 2000, \"delivery.timeout.ms\" = 4000 }");
            try (Bridge bridge = harness.startWatching(); OpsServer ops = OpsServer.start("127.0.0.1", 0, bridge)) {
                Await.until(() -> Scrape.get(ops.port(), "/readyz").statusCode() == 200, Duration.ofSeconds(30), "ready while all is well");

                broker.close();
                churn.churn(3);
                Await.until(() -> Scrape.get(ops.port(), "/readyz").statusCode() == 503, Duration.ofSeconds(60),
                        "/readyz answers 503 once a transaction fails");
                HttpResponse<String> unready = Scrape.get(ops.port(), "/readyz");
                assertTrue(unready.body().contains("publisher: the last Kafka transaction failed"), unready.body());
                assertEquals(200, Scrape.get(ops.port(), "/healthz").statusCode(), "alive all the same: a restart would not help");
                assertEquals(0.0, Scrape.sample(Scrape.get(ops.port(), "/metrics").body(), "kube2kafka_publisher_healthy", Map.of()));

                broker.start(); // same port, same data directory
                churn.churn(1);
                Await.until(() -> Scrape.get(ops.port(), "/readyz").statusCode() == 200, Duration.ofSeconds(90),
                        "/readyz is back to 200 after the broker restarted");
                harness.awaitTopicMatchesCluster("pods", "core", "pods");
                // One series per cause; an outage can fail rounds in more than one way.
                assertTrue(Scrape.sum(Scrape.get(ops.port(), "/metrics").body(), "kube2kafka_transaction_failures_total") >= 1);
            }
        } finally {
            broker.close();
        }
    }

    @Test
    void aFailingWatchIsNamedWithItsError(EmbeddedKafkaBroker broker) throws Exception {
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods, configmaps ]");
        try (Bridge bridge = harness.startWatching(); OpsServer ops = OpsServer.start("127.0.0.1", 0, bridge)) {
            server.forbid("configmaps");
            server.dropWatchConnectionsMidLine();
            // Both connections are cut; pods reconnects at once, configmaps is refused and stays unready.
            String forbidden = "watch " + harness.cluster() + "/core/configmaps: failing since ";
            Await.until(() -> {
                HttpResponse<String> readyz = Scrape.get(ops.port(), "/readyz");
                return readyz.statusCode() == 503 && readyz.body().lines().anyMatch(l -> l.startsWith(forbidden) && l.contains(": HTTP 403"))
                        && !readyz.body().contains("/core/pods");
            }, Duration.ofSeconds(30), "/readyz is 503 naming the forbidden watch, and only it");
            Await.until(() -> Scrape.sample(Scrape.get(ops.port(), "/metrics").body(), "kube2kafka_watch_errors_total",
                    Map.of("resource", "core/v1/configmaps", "cause", "403")) >= 1, Duration.ofSeconds(10), "the 403 is counted by cause");
        }
    }

    private static double sample(OpsServer ops, String name, Map<String, String> labels) {
        return Scrape.sample(Scrape.get(ops.port(), "/metrics").body(), name, labels);
    }
}
