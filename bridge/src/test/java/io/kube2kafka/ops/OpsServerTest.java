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
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /metrics against what a consumer finds in the topics; /readyz across a broker outage. */
@ExtendWith(KafkaBroker.class)
class OpsServerTest {
    @AutoClose
    private final SimulatedApiServer server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(300))
            .build().start().addStandardResources();

    @Test
    void metricsCountWhatTheTopicsHold(EmbeddedKafkaBroker broker) throws Exception {
        ClusterChurn churn = new ClusterChurn(server, List.of("pods", "configmaps"), 7);
        churn.populate(6);
        BridgeHarness harness = new BridgeHarness(broker, server,
                "resources = [ pods, { resource = configmaps, namespaces = [default, shop, payments] } ]\n"
                        // The harness's 5 s server-side timeout would reopen the watch on a slow machine; this test counts opens.
                        + " watch.timeout = 10m");
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
                // The tests' watch.timeout is 5 s, so on a slow machine the server ends the watch and it is reopened:
                // every reopening must be such a routine close, never a failure.
                assertEquals(1.0 + Scrape.sample(metrics, "kube2kafka_watch_restarts_total", with(pods, "cause", "closed")),
                        Scrape.sample(metrics, "kube2kafka_watch_opened_total", pods), "one watch, reopened only when the server closed it");
                assertEquals(closedByServer(metrics), Scrape.sum(metrics, "kube2kafka_watch_restarts_total"), "no watch restarted after a failure");
                assertEquals(0.0, Scrape.sample(metrics, "kube2kafka_watch_relists_total", with(pods, "cause", "expired")));
                assertEquals(1.0, Scrape.sample(metrics, "kube2kafka_watch_relists_total", with(pods, "cause", "first-start")),
                        "the one list of a first start");
                assertEquals(1.0, Scrape.sample(metrics, "kube2kafka_lists_completed_total",
                        with(with(pods, "reason", "first-start"), "method", "watch-list")),
                        "the first list (streamed, the default when the server allows it) completed, and was notified");
                assertEquals(Scrape.sample(metrics, "kube2kafka_watch_listed_objects", pods),
                        Scrape.sample(metrics, "kube2kafka_list_objects_total", with(pods, "outcome", "added")), "a first list adds every object");
                assertEquals(0.0, Scrape.sample(metrics, "kube2kafka_watch_restarts_total", with(pods, "cause", "unexpected")));
                // Everything read is committed and the churn is over: the lag is 0, not the time since the last event.
                Await.until(() -> sample(ops, "kube2kafka_watch_lag_seconds", pods) == 0.0 && sample(ops, "kube2kafka_queued_bytes", Map.of()) == 0.0,
                        Duration.ofSeconds(30), "a quiet, caught-up watch has no lag and nothing queued");
                assertEquals(0.0, Scrape.sample(metrics, "kube2kafka_paused_watchers", Map.of()));
                double lastCommit = Scrape.sample(metrics, "kube2kafka_last_commit_timestamp_seconds", Map.of());
                assertTrue(lastCommit > System.currentTimeMillis() / 1000.0 - 600 && lastCommit <= System.currentTimeMillis() / 1000.0 + 1,
                        "the last commit is a Unix timestamp of the last minutes: " + lastCommit);
                assertEquals(1.0, Scrape.sample(metrics, "kube2kafka_build_info", Map.of("version", io.kube2kafka.config.BuildVersion.get())));
                assertTrue(Scrape.sum(metrics, "jvm_memory_used_bytes") > 0, "JVM metrics are exposed");
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
                assertEquals(Long.parseLong(rv), Scrape.sample(metrics, "kube2kafka_watch_resource_version", pods),
                        "the current resourceVersion " + rv + " is a gauge:\n" + metrics);
                assertEquals(1.0, Scrape.sample(metrics, "kube2kafka_watch_info", with(pods, "state", "WATCHING")));
                assertFalse(metrics.contains("resource_version=\""), "no resourceVersion is a label value: every change would be a new series");
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
            // The smallest queue bound, so the outage pauses the watcher (kube2kafka_paused_watchers) within a few hundred events.
            BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]\n kafka.shutdown-timeout = 5s\n"
                    + " kafka.max-queued-bytes = 1MiB\n"
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
                Map<String, String> pods = Map.of("resource", "core/v1/pods");
                double lagBefore = sample(ops, "kube2kafka_watch_lag_seconds", pods);
                assertTrue(lagBefore > 0, "events wait for the broker: the lag is their age, " + lagBefore);
                Await.until(() -> sample(ops, "kube2kafka_watch_lag_seconds", pods) > lagBefore, Duration.ofSeconds(30),
                        "the lag of a stalled watch grows");
                assertTrue(sample(ops, "kube2kafka_queued_bytes", Map.of()) > 0, "the waiting events are queued bytes");
                // Changes until their events fill kafka.max-queued-bytes (the simulator queues them without bound).
                Await.until(() -> {
                    churn.churn(100);
                    return sample(ops, "kube2kafka_paused_watchers", Map.of()) == 1.0;
                }, Duration.ofSeconds(60), "the watcher pauses once kafka.max-queued-bytes is reached");
                assertTrue(sample(ops, "kube2kafka_queued_bytes", Map.of()) >= 1024 * 1024 - 64 * 1024,
                        "a paused watcher means the queue is about full");

                broker.start(); // same port, same data directory
                churn.churn(1);
                Await.until(() -> Scrape.get(ops.port(), "/readyz").statusCode() == 200, Duration.ofSeconds(90),
                        "/readyz is back to 200 after the broker restarted");
                harness.awaitTopicMatchesCluster("pods", "core", "pods");
                Await.until(() -> sample(ops, "kube2kafka_watch_lag_seconds", pods) == 0.0 && sample(ops, "kube2kafka_paused_watchers", Map.of()) == 0.0,
                        Duration.ofSeconds(30), "caught up again: no lag, no paused watcher");
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

    /** Restarts of every watch because the server ended it normally. */
    private static double closedByServer(String metrics) {
        double closed = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("kube2kafka_watch_restarts_total{") && line.contains("cause=\"closed\"")) {
                closed += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return closed;
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> more = new java.util.HashMap<>(labels);
        more.put(name, value);
        return more;
    }

    private static double sample(OpsServer ops, String name, Map<String, String> labels) {
        return Scrape.sample(Scrape.get(ops.port(), "/metrics").body(), name, labels);
    }
}
