package io.kube2kafka.bridge;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.ExactlyOnce;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.TopicContents;
import io.kube2kafka.watch.WatchStatus;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lists after an expired resume point: spaced like client-go's, always ending even when the topic no
 * longer holds what the index points at, and comparing with the watch's own latest commits.
 */
@ExtendWith(KafkaBroker.class)
class RelistTest {
    @AutoClose
    private final SimulatedApiServer server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(300))
            .build().start().addStandardResources();

    @Test
    void aWatchThatKeepsExpiringListsAfterGrowingPauses(EmbeddedKafkaBroker broker) throws Exception {
        new ClusterChurn(server, List.of("pods"), 31).populate(3);
        List<Duration> pauses = new CopyOnWriteArrayList<>();
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]\n watch { backoff-initial = 800ms, backoff-max = 30s }");
        // The pauser only records: the test drives the backoff without waiting it out.
        try (Bridge bridge = harness.start(pauses::add)) {
            BridgeHarness.awaitWatching(bridge);
            WatchStatus status = bridge.watchStatuses().get(0);
            pauses.clear();
            // The open watch expires, then the next five lists are answered 410 too (their snapshot expired).
            server.failNextRequests(5, 410, null);
            server.injectExpiredError();
            Await.until(() -> status.relists() == 6 && status.state() == WatchStatus.State.WATCHING, Duration.ofSeconds(60),
                    "the watch lists six times, then watches: " + status.relists() + " " + status.state());
            assertEquals(6, pauses.size(), "one pause before each list: " + pauses);
            assertTrue(pauses.get(0).compareTo(Duration.ofMillis(800)) >= 0, "the first waits watch.backoff-initial: " + pauses);
            for (int i = 1; i < pauses.size(); i++) {
                assertTrue(pauses.get(i).compareTo(pauses.get(i - 1)) > 0, "each pause is longer than the one before: " + pauses);
            }
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
        }
    }

    @Test
    void aRelistWhoseLastRecordsRetentionRemovedStillEndsAndPublishesTheDeletions(@TempDir Path dataDir) throws Exception {
        // The retention check runs every 200 ms from the start, instead of every 5 minutes after 30 s.
        EmbeddedKafkaBroker own = new EmbeddedKafkaBroker(dataDir, 0,
                Map.of("log.retention.check.interval.ms", "200", "log.initial.task.delay.ms", "0")).start();
        ScheduledExecutorService toucher = Executors.newSingleThreadScheduledExecutor();
        try {
            ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 32);
            churn.populate(6);
            BridgeHarness harness = new BridgeHarness(own, server, "resources = [ pods ]\n watch.idle-timeout = 1s\n"
                    + " kafka.topic-config { \"cleanup.policy\" = delete, \"segment.ms\" = 100 }");
            try (Bridge bridge = harness.startWatching()) {
                WatchStatus status = bridge.watchStatuses().get(0);
                Set<String> first = new HashSet<>(harness.live("pods").keySet());
                Await.until(() -> harness.read("core", "pods").liveResourceVersions().keySet().containsAll(first), Duration.ofSeconds(60),
                        "the first list is published");
                // Retention of a second; later writes roll the segments, so it can remove the first records.
                setRetention(own, harness.topic("core", "pods"), "1000");
                server.create("pods", "default", "toucher", Map.of());
                toucher.scheduleAtFixedRate(() -> server.update("pods", "default", "toucher",
                        o -> o.with("metadata").with("labels").put("at", Long.toString(System.nanoTime()))), 0, 250, TimeUnit.MILLISECONDS);
                Await.until(() -> harness.read("core", "pods").records().stream()
                                .noneMatch(r -> first.contains(TopicContents.header(r, "k8s.uid"))),
                        Duration.ofSeconds(60), "retention removed every record of the first list");
                toucher.shutdownNow();
                toucher.awaitTermination(10, TimeUnit.SECONDS);
                setRetention(own, harness.topic("core", "pods"), "-1"); // keeps what the test checks below

                // Three objects are deleted while the watch is unwatched; its resume point expires.
                server.silenceWatchConnections();
                Set<String> deleted = new HashSet<>();
                for (int i = 0; i < 3; i++) {
                    deleted.add(churn.deleteOne().path("metadata").path("uid").asText());
                }
                deleted.retainAll(first);
                server.compact();
                Await.until(() -> status.relists() == 1 && status.state() == WatchStatus.State.WATCHING, Duration.ofSeconds(60),
                        "the relist ends and the watch resumes: " + status.state() + " " + status.lastError());
                server.create("pods", "default", "after-the-relist", Map.of());
                Await.until(() -> harness.read("core", "pods").events().stream()
                        .anyMatch(r -> "after-the-relist".equals(TopicContents.header(r, "k8s.name"))), Duration.ofSeconds(30),
                        "new changes flow again");

                List<ConsumerRecord<byte[], byte[]>> records = harness.read("core", "pods").records();
                Map<String, Integer> derived = new HashMap<>();
                Map<String, Integer> tombstones = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    String uid = TopicContents.header(record, "k8s.uid");
                    if (record.value() == null) {
                        tombstones.merge(uid, 1, Integer::sum);
                    } else if ("DELETED".equals(TopicContents.header(record, "k8s.type"))) {
                        derived.merge(uid, 1, Integer::sum);
                        assertEquals("list", TopicContents.header(record, "kube2kafka.origin"));
                        String value = TopicContents.value(record);
                        assertTrue(value.contains("\"uid\":\"" + uid + "\"") && value.contains("\"kind\":\"Pod\""), value);
                    }
                }
                Map<String, Integer> once = new HashMap<>();
                deleted.forEach(uid -> once.put(uid, 1));
                assertEquals(once, derived, "one DELETED per object deleted while unwatched, though its last record was gone");
                assertEquals(once, tombstones, "and its tombstone");
            }
        } finally {
            toucher.shutdownNow();
            own.close();
        }
    }

    @Test
    void aRelistRightAfterACommitComparesWithTheWatchsOwnCommitsThoughAnotherTransactionHoldsTheTopicBack(EmbeddedKafkaBroker broker)
            throws Exception {
        ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 33);
        churn.populate(10);
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]\n watch.idle-timeout = 1s");
        try (Bridge first = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
        }
        String topic = harness.topic("core", "pods");
        // Resumed from its checkpoint, this bridge reads the topic for the first time at the relist below.
        try (Bridge bridge = harness.startWatching(); KafkaProducer<byte[], byte[]> other = otherTransactionalProducer(broker)) {
            WatchStatus status = bridge.watchStatuses().get(0);
            String watch = status.target().key();
            long after = Long.parseLong(server.currentResourceVersion());
            // Another producer (a Connect task, say) opens a transaction on every partition and never ends it:
            // read_committed consumers see nothing past it, the last stable offset, until the broker aborts it.
            other.initTransactions();
            other.beginTransaction();
            for (int partition = 0; partition < 3; partition++) {
                other.send(new ProducerRecord<>(topic, partition, "other".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8)));
            }
            other.flush();
            // The bridge commits new objects and deletions behind that transaction.
            List<String> created = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                created.add(server.create("pods", "default", "late-" + i, Map.of()).path("metadata").path("uid").asText());
            }
            for (int i = 0; i < 3; i++) {
                churn.deleteOne();
            }
            Await.until(() -> server.currentResourceVersion().equals(bridge.publisher().stats().committedResourceVersions().get(watch)),
                    Duration.ofSeconds(30), "the bridge committed every change");
            // Right after, two of the new objects are deleted while the watch is unwatched, and its resume point expires.
            server.silenceWatchConnections();
            long watchedUntil = Long.parseLong(server.currentResourceVersion());
            server.delete("pods", "default", "late-0");
            server.delete("pods", "default", "late-1");
            server.compact();
            // The other transaction stays open until the broker aborts it (its transaction.timeout.ms); the relist
            // happens meanwhile, and must wait for the watch's own records rather than compare without them.
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            BridgeHarness.awaitWatching(bridge);

            TopicContents contents = harness.read("core", "pods");
            assertEquals(List.of(), ExactlyOnce.missing(contents, server.changes("pods").stream()
                    .filter(c -> Long.parseLong(c.resourceVersion()) <= watchedUntil).toList(), after), "watched changes missing");
            assertEquals(List.of(), ExactlyOnce.duplicates(contents), "watch events published twice");
            Map<String, Integer> published = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : contents.events()) {
                published.merge(TopicContents.header(record, "k8s.uid") + "@" + TopicContents.header(record, "k8s.resourceVersion")
                        + " " + TopicContents.header(record, "k8s.type"), 1, Integer::sum);
            }
            published.values().removeIf(count -> count == 1);
            assertEquals(Map.of(), published, "no state published twice, by the watch or the list");
            List<String> derived = contents.events().stream()
                    .filter(r -> "list".equals(TopicContents.header(r, "kube2kafka.origin")) && "DELETED".equals(TopicContents.header(r, "k8s.type")))
                    .map(r -> TopicContents.header(r, "k8s.uid")).sorted().toList();
            assertEquals(created.subList(0, 2).stream().sorted().toList(), derived, "the deletions made while unwatched, derived once each");
        }
    }

    private static void setRetention(EmbeddedKafkaBroker broker, String topic, String retentionMs) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    List.of(new AlterConfigOp(new ConfigEntry("retention.ms", retentionMs), AlterConfigOp.OpType.SET)))).all().get();
        }
    }

    private static KafkaProducer<byte[], byte[]> otherTransactionalProducer(EmbeddedKafkaBroker broker) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "other-" + UUID.randomUUID(),
                // Longer than the steps up to the relist take; the broker aborts the transaction after it.
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 20_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }
}
