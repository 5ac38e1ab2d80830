package io.kube2kafka.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.ContractRecords;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.TopicContents;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connector in a real Connect worker (distributed mode, exactly-once source support) against the
 * test broker and the simulated API server, checked as a user would with a read_committed consumer.
 */
@ExtendWith(KafkaBroker.class)
class KubernetesSourceConnectorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONNECTOR = "kube";

    @AutoClose
    private final SimulatedApiServer server = BridgeHarness.hostileCluster(7);

    private Map<String, String> connectorConfig(BridgeHarness harness, EmbeddedKafkaBroker broker, String resources, int tasks) {
        Map<String, String> config = ConnectorConfigs.quick(CONNECTOR, tasks, harness, server, broker);
        config.put("exactly.once.support", "required");
        config.put("resources", resources);
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "3");
        config.put("topic.creation.default.cleanup.policy", "compact");
        return config;
    }

    @Test
    void aWorkerListsThePluginAndEachCompactedTopicEqualsTheClusterWithTheBridgesRecords(EmbeddedKafkaBroker broker) throws Exception {
        ClusterChurn churn = new ClusterChurn(server, List.of("pods", "deployments.apps", "widgets.example.com"), 1);
        churn.populate(5);
        BridgeHarness harness = new BridgeHarness(broker, server, "");
        try (ConnectWorker worker = ConnectWorker.start(broker.bootstrapServers(), harness.cluster() + ".connect")) {
            List<String> plugins = new ArrayList<>();
            worker.get("/connector-plugins").forEach(p -> plugins.add(p.path("class").asText()));
            assertTrue(plugins.stream().anyMatch(c -> c.contains("Kubernetes")), "GET /connector-plugins lists the connector: " + plugins);

            // Three watches over at most two tasks: two tasks, round-robin.
            worker.createConnector(CONNECTOR, connectorConfig(harness, broker, "pods,deployments.apps,widgets.example.com", 2), 2);
            // The first lists are published before the churn, so the churn reaches Kafka through the watches.
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            harness.awaitTopicMatchesCluster("deployments.apps", "apps", "deployments");
            harness.awaitTopicMatchesCluster("widgets.example.com", "example.com", "widgets");
            churn.churn(80);
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            harness.awaitTopicMatchesCluster("deployments.apps", "apps", "deployments");
            harness.awaitTopicMatchesCluster("widgets.example.com", "example.com", "widgets");

            // Committed source offsets, read as Connect stores them: the worker's offsets topic, read_committed.
            // (GET /connectors/{name}/offsets was seen to lag the transactions that wrote them by over 30 s under load.)
            String offsetsTopic = harness.cluster() + ".connect.offsets";
            Map<String, String> offsets = new HashMap<>();
            Await.until(() -> {
                offsets.clear();
                for (ConsumerRecord<byte[], byte[]> record : TopicContents.read(broker.bootstrapServers(), offsetsTopic).records()) {
                    try {
                        JsonNode key = JSON.readTree(record.key());
                        if (CONNECTOR.equals(key.path(0).asText()) && record.value() != null) {
                            assertEquals(harness.cluster(), key.path(1).path("cluster").asText());
                            JsonNode offset = JSON.readTree(record.value());
                            offsets.put(key.path(1).path("watch").asText(), offset.path("resourceVersion").asText());
                            assertEquals(server.clusterUid(), offset.path("clusterUid").asText(), "the offset names the cluster");
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return offsets.size() == 3 && offsets.values().stream().allMatch(v -> v.matches("\\d+"));
            }, Duration.ofSeconds(60), "the offsets topic holds a resourceVersion for each of 3 watches: " + offsets);
            Set<String> watches = offsets.keySet();
            assertEquals(Set.of(harness.cluster() + "/core/pods", harness.cluster() + "/apps/deployments",
                    harness.cluster() + "/example.com/widgets"), watches, "one source partition per watch");
        }

        ContractRecords.assertPodRecordsFollowTheContract(harness.read("core", "pods").records(), harness.cluster());
    }

    @Test
    void aWorkerRestartedMidChurnLosesAndDoublesNothing(EmbeddedKafkaBroker broker) throws Exception {
        ClusterChurn churn = new ClusterChurn(server, List.of("pods", "deployments.apps"), 5);
        churn.populate(6);
        BridgeHarness harness = new BridgeHarness(broker, server, "");
        String group = harness.cluster() + ".connect";
        Map<String, String> config = connectorConfig(harness, broker, "pods,deployments.apps", 2);
        AtomicInteger steps = new AtomicInteger();
        Thread churning = new Thread(() -> {
            for (int i = 0; i < 400 && !Thread.currentThread().isInterrupted(); i++) {
                churn.step();
                steps.incrementAndGet();
                LockSupport.parkNanos(Duration.ofMillis(15).toNanos()); // spreads the churn over the restart, not a wait for anything
            }
        }, "churn");
        long startedAt;
        try (ConnectWorker first = ConnectWorker.start(broker.bootstrapServers(), group)) {
            first.createConnector(CONNECTOR, config, 2);
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            harness.awaitTopicMatchesCluster("deployments.apps", "apps", "deployments");
            startedAt = Long.parseLong(server.currentResourceVersion());
            churning.start();
            Await.until(() -> watchEvents(harness, "core", "pods").size() >= 20, Duration.ofSeconds(60), "the first worker published churn");
        }
        int stoppedAt = steps.get();
        Await.until(() -> steps.get() >= stoppedAt + 30 || !churning.isAlive(), Duration.ofSeconds(60), "the cluster changed while no worker ran");
        try (ConnectWorker second = ConnectWorker.start(broker.bootstrapServers(), group)) {
            second.awaitRunning(CONNECTOR, 2);
            churning.join(Duration.ofSeconds(60).toMillis());
            assertTrue(!churning.isAlive(), "the churn finished");
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            harness.awaitTopicMatchesCluster("deployments.apps", "apps", "deployments");
        }

        for (String[] resource : new String[][] {{"core", "pods", "/api/v1/pods"}, {"apps", "deployments", "/apis/apps/v1/deployments"}}) {
            List<String> published = watchEvents(harness, resource[0], resource[1]);
            Set<String> distinct = new HashSet<>(published);
            List<String> twice = new ArrayList<>(published);
            distinct.forEach(twice::remove);
            assertEquals(List.of(), twice, resource[1] + ": no watch event twice (uid@resourceVersion) among " + published.size());
            Set<String> afterStart = new HashSet<>();
            for (String event : distinct) {
                if (Long.parseLong(event.substring(event.indexOf('@') + 1)) > startedAt) {
                    afterStart.add(event);
                }
            }
            Set<String> changes = history(resource[2], startedAt);
            Set<String> missing = new HashSet<>(changes);
            missing.removeAll(afterStart);
            Set<String> unexpected = new HashSet<>(afterStart);
            unexpected.removeAll(changes);
            assertEquals(Set.of(), missing, resource[1] + ": every change after the first list is published (of " + changes.size() + ")");
            assertEquals(Set.of(), unexpected, resource[1] + ": nothing published that the cluster did not do");
        }
    }

    @Test
    void anOffsetOlderThanTheWatchWindowListsAndPublishesOnlyTheDifference(EmbeddedKafkaBroker broker) throws Exception {
        ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 3);
        churn.populate(8);
        BridgeHarness harness = new BridgeHarness(broker, server, "");
        String group = harness.cluster() + ".connect";
        try (ConnectWorker worker = ConnectWorker.start(broker.bootstrapServers(), group)) {
            worker.createConnector(CONNECTOR, connectorConfig(harness, broker, "pods", 1), 1);
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
        }
        Map<String, String> before = harness.read("core", "pods").liveResourceVersions();
        Set<String> recordsBefore = new HashSet<>();
        harness.read("core", "pods").records().forEach(r -> recordsBefore.add(r.partition() + "@" + r.offset()));
        String deletedUid = churn.deleteOne().path("metadata").path("uid").asText();
        churn.churn(10);
        server.compact();
        server.clearRequests();

        try (ConnectWorker worker = ConnectWorker.start(broker.bootstrapServers(), group)) {
            worker.awaitRunning(CONNECTOR, 1);
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
        }
        // The task's Watcher is the bridge's: with watch.initial-list = auto it relists as a WatchList stream.
        assertTrue(server.requests().stream().anyMatch(io.kube2kafka.sim.RecordedRequest::isWatchList), "the relist was streamed");
        assertTrue(server.requests().stream().noneMatch(io.kube2kafka.sim.RecordedRequest::isConsistentList), "and not paginated");
        List<ConsumerRecord<byte[], byte[]>> added = harness.read("core", "pods").records().stream()
                .filter(r -> !recordsBefore.contains(r.partition() + "@" + r.offset())).toList();
        Map<String, String> after = harness.live("pods");
        for (ConsumerRecord<byte[], byte[]> record : added) {
            assertEquals("list", TopicContents.header(record, "kube2kafka.origin"), "records after the outage are derived from the list");
            String uid = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() != null && !"DELETED".equals(TopicContents.header(record, "k8s.type"))) {
                assertTrue(!after.get(uid).equals(before.get(uid)), "unchanged objects are not republished: " + uid);
            }
        }
        ConsumerRecord<byte[], byte[]> deletion = added.stream()
                .filter(r -> deletedUid.equals(new String(r.key(), StandardCharsets.UTF_8)) && r.value() != null).findFirst().orElseThrow();
        assertEquals("DELETED", TopicContents.header(deletion, "k8s.type"));
        assertEquals(before.get(deletedUid), TopicContents.header(deletion, "k8s.resourceVersion"), "carries the last state the topic held");
    }

    /**
     * A broker that does not auto-create topics (the test broker) and no topic.creation.* key: the
     * connector creates its topics as the bridge does. The record values, with a StringConverter and
     * output.drop-paths, are byte for byte the bridge's.
     */
    @Test
    void withoutTopicCreationTheConnectorCreatesItsTopicsAndWritesTheBridgesBytes(EmbeddedKafkaBroker broker) throws Exception {
        ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 3);
        churn.populate(6);
        BridgeHarness bridgeRun = new BridgeHarness(broker, server, "output.drop-paths = [\"/metadata/labels\", \"/status\"]");
        try (Bridge bridge = bridgeRun.startWatching()) {
            bridgeRun.awaitTopicMatchesCluster("pods", "core", "pods");
        }
        Map<String, String> bridgeValues = values(bridgeRun.read("core", "pods").records());

        BridgeHarness harness = new BridgeHarness(broker, server, "");
        Map<String, String> config = connectorConfig(harness, broker, "pods", 1);
        config.keySet().removeIf(key -> key.startsWith("topic.creation."));
        config.put("kafka.partitions", "2");
        config.put("key.converter", RecordSchemas.STRING_CONVERTER);
        config.put("value.converter", RecordSchemas.STRING_CONVERTER);
        config.put("output.drop-paths", "/metadata/labels, /status");
        try (ConnectWorker worker = ConnectWorker.start(broker.bootstrapServers(), harness.cluster() + ".connect");
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            worker.createConnector(CONNECTOR, config, 1);
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            assertEquals(bridgeValues, values(harness.read("core", "pods").records()), "the same objects, the same bytes as the bridge's");

            String topic = harness.topic("core", "pods");
            assertEquals(2, admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size(), "kafka.partitions");
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertEquals("compact", admin.describeConfigs(List.of(resource)).all().get().get(resource).get("cleanup.policy").value());

            churn.churn(40);
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
        }
        List<ConsumerRecord<byte[], byte[]>> records = harness.read("core", "pods").records();
        ContractRecords.assertPodRecordsFollowTheContract(records, harness.cluster());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.value() != null) {
                JsonNode object = JSON.readTree(record.value()).path("object");
                assertTrue(object.path("metadata").path("labels").isMissingNode() && object.path("status").isMissingNode(),
                        "output.drop-paths removed labels and status: " + object);
            }
        }
    }

    /** A topic the connector cannot create (more replicas than the one broker) fails it, naming the topic. */
    @Test
    void aTopicTheConnectorCannotCreateFailsItNamingTheTopic(EmbeddedKafkaBroker broker) {
        BridgeHarness harness = new BridgeHarness(broker, server, "");
        Map<String, String> config = connectorConfig(harness, broker, "pods", 1);
        config.keySet().removeIf(key -> key.startsWith("topic.creation."));
        config.put("kafka.replication-factor", "3");
        try (ConnectWorker worker = ConnectWorker.start(broker.bootstrapServers(), harness.cluster() + ".connect")) {
            worker.put("/connectors/" + CONNECTOR + "/config", config);
            String trace = worker.awaitFailed(CONNECTOR);
            assertTrue(trace.contains("cannot create topic " + harness.topic("core", "pods")), trace);
            assertTrue(trace.contains("replication factor of 3"), "the broker's reason: " + trace);
        }
    }

    /** uid to the value of its last record (list records only here, one per object). */
    private static Map<String, String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, String> values = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            values.put(new String(record.key(), StandardCharsets.UTF_8),
                    record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    @Test
    void validateReportsEachProblemOnItsField(EmbeddedKafkaBroker broker) throws Exception {
        BridgeHarness harness = new BridgeHarness(broker, server, "");
        try (ConnectWorker worker = ConnectWorker.start(broker.bootstrapServers(), harness.cluster() + ".connect")) {
            String validate = "/connector-plugins/KubernetesSourceConnector/config/validate";

            Map<String, String> badValues = connectorConfig(harness, broker, "pods,Not_A_Resource!", 1);
            badValues.put("watch.page-size", "0");
            Map<String, List<String>> errors = errors(worker.put(validate, badValues));
            assertTrue(errors.get("watch.page-size").stream().anyMatch(e -> e.contains("must be at least 1")), errors.toString());
            assertTrue(errors.get("resources").stream().anyMatch(e -> e.contains("Not_A_Resource!")), errors.toString());

            Map<String, List<String>> unknown = errors(worker.put(validate, connectorConfig(harness, broker, "pods,gizmos", 1)));
            assertEquals(Set.of("resources"), unknown.keySet(), unknown.toString());
            assertTrue(unknown.get("resources").get(0).contains("unknown resource \"gizmos\""), unknown.toString());

            Map<String, String> unreachable = connectorConfig(harness, broker, "pods", 1);
            unreachable.put("kubernetes.url", "http://127.0.0.1:" + closedPort());
            Map<String, List<String>> down = errors(worker.put(validate, unreachable));
            assertEquals(Set.of("kubernetes.url"), down.keySet(), down.toString());
            assertTrue(down.get("kubernetes.url").get(0).contains("unreachable"), down.toString());

            assertEquals(Map.of(), errors(worker.put(validate, connectorConfig(harness, broker, "pods,deployments.apps", 1))));

            Map<String, List<String>> unclosed = errors(worker.put(validate,
                    connectorConfig(harness, broker, "[ pods, { resource = deployments.apps, namespaces = [default }", 1)));
            assertEquals(Set.of("resources"), unclosed.keySet(), unclosed.toString());
            assertTrue(unclosed.get("resources").get(0).contains("HOCON"), unclosed.toString());
            Map<String, List<String>> badField = errors(worker.put(validate,
                    connectorConfig(harness, broker, "[ { resource = pods, namespace = default } ]", 1)));
            assertTrue(badField.get("resources").get(0).contains("unknown key"), badField.toString());
            assertEquals(Map.of(), errors(worker.put(validate, connectorConfig(harness, broker,
                    "[ pods, { resource = deployments.apps, namespaces = [default, shop], label-selector = \"app=web\" } ]", 1))));

            Map<String, String> json = connectorConfig(harness, broker, "pods", 1);
            json.put("value.converter", RecordSchemas.JSON_CONVERTER);
            Map<String, List<String>> jsonErrors = errors(worker.put(validate, json));
            assertEquals(Set.of("value.converter"), jsonErrors.keySet(), jsonErrors.toString());
            assertTrue(jsonErrors.get("value.converter").get(0).contains("base64"), jsonErrors.toString());

            Map<String, String> noKafka = connectorConfig(harness, broker, "pods", 1);
            noKafka.put("kafka.bootstrap-servers", "");
            Map<String, List<String>> noKafkaErrors = errors(worker.put(validate, noKafka));
            assertTrue(noKafkaErrors.get("kafka.bootstrap-servers").get(0).contains("required"), noKafkaErrors.toString());

            Map<String, String> bridgeOnly = connectorConfig(harness, broker, "pods", 1);
            bridgeOnly.put("kafka.delivery", "at-least-once");
            bridgeOnly.put("kafka.producer.compression.type", "zstd");
            Map<String, List<String>> bridgeOnlyErrors = errors(worker.put(validate, bridgeOnly));
            assertEquals(Set.of("kafka.delivery", "kafka.producer.compression.type"), bridgeOnlyErrors.keySet(), bridgeOnlyErrors.toString());
            assertTrue(bridgeOnlyErrors.get("kafka.delivery").get(0).contains("exactly.once.source.support"), bridgeOnlyErrors.toString());
            assertTrue(bridgeOnlyErrors.get("kafka.producer.compression.type").get(0).contains("producer.override."), bridgeOnlyErrors.toString());
        }
    }

    /** Field name to its error messages, fields without errors left out. */
    private static Map<String, List<String>> errors(JsonNode validation) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (JsonNode config : validation.path("configs")) {
            JsonNode value = config.path("value");
            List<String> messages = new ArrayList<>();
            value.path("errors").forEach(e -> messages.add(e.asText()));
            if (!messages.isEmpty()) {
                errors.put(value.path("name").asText(), messages);
            }
        }
        return errors;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** uid@resourceVersion of every watch-origin event record, in topic order. */
    private static List<String> watchEvents(BridgeHarness harness, String group, String plural) {
        List<String> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : harness.read(group, plural).events()) {
            if ("watch".equals(TopicContents.header(record, "kube2kafka.origin"))) {
                events.add(new String(record.key(), StandardCharsets.UTF_8) + "@" + TopicContents.header(record, "k8s.resourceVersion"));
            }
        }
        return events;
    }

    /** Every change the API server made after a resourceVersion, as uid@resourceVersion: a watch from it replays them. */
    private Set<String> history(String collection, long after) throws Exception {
        URI uri = server.url().resolve(collection + "?watch=1&timeoutSeconds=1&resourceVersion=" + after);
        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode(), "watch " + uri);
        Set<String> events = new HashSet<>();
        try (var lines = response.body()) {
            lines.filter(l -> !l.isBlank()).forEach(line -> {
                try {
                    JsonNode event = JSON.readTree(line);
                    String type = event.path("type").asText();
                    if (type.equals("ADDED") || type.equals("MODIFIED") || type.equals("DELETED")) {
                        JsonNode metadata = event.path("object").path("metadata");
                        events.add(metadata.path("uid").asText() + "@" + metadata.path("resourceVersion").asText());
                    }
                } catch (IOException e) {
                    throw new AssertionError("not a watch event: " + line, e);
                }
            });
        }
        assertTrue(!events.isEmpty(), "the churn changed " + collection);
        return events;
    }
}
