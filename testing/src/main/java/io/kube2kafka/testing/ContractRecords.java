package io.kube2kafka.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The record format of the contract, checked on a pods topic as a consumer would see it. */
public final class ContractRecords {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ATTRIBUTION = List.of("k8s.manager", "k8s.operation", "k8s.changed-at");

    private ContractRecords() {
    }

    /**
     * Key = uid, the headers match the object (the attribution headers its newest managedFields
     * entry), listed and watched objects carry kind and apiVersion, a tombstone with the same
     * headers follows each DELETED, and each object's records are in one partition in
     * resourceVersion order.
     */
    public static void assertPodRecordsFollowTheContract(List<ConsumerRecord<byte[], byte[]>> records, String cluster) {
        Map<String, Set<Integer>> partitionsByUid = new HashMap<>();
        Map<String, Long> lastVersion = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String uid = new String(record.key(), StandardCharsets.UTF_8);
            partitionsByUid.computeIfAbsent(uid, u -> new HashSet<>()).add(record.partition());
            if (record.value() == null) {
                continue;
            }
            JsonNode event = parse(record.value());
            JsonNode metadata = event.path("object").path("metadata");
            assertEquals(metadata.path("uid").asText(), uid, "key is metadata.uid");
            assertEquals(event.path("type").asText(), TopicContents.header(record, "k8s.type"));
            assertEquals("Pod", event.path("object").path("kind").asText(), "listed and watched objects carry kind");
            assertEquals("v1", event.path("object").path("apiVersion").asText());
            assertEquals(cluster, TopicContents.header(record, "k8s.cluster"));
            assertNotNull(TopicContents.header(record, "k8s.cluster.uid"), "the cluster's identity, the uid of kube-system");
            assertEquals("core/v1/pods", TopicContents.header(record, "k8s.resource"));
            assertEquals(metadata.path("namespace").asText(), TopicContents.header(record, "k8s.namespace"));
            assertEquals(metadata.path("name").asText(), TopicContents.header(record, "k8s.name"));
            assertEquals(metadata.path("uid").asText(), TopicContents.header(record, "k8s.uid"));
            assertEquals(metadata.path("resourceVersion").asText(), TopicContents.header(record, "k8s.resourceVersion"));
            assertEquals(cluster + "/core/pods", TopicContents.header(record, "kube2kafka.watch"));
            assertNotNull(TopicContents.header(record, "kube2kafka.origin"));
            assertAttributionMatches(record, metadata);
            long version = Long.parseLong(metadata.path("resourceVersion").asText());
            Long previous = lastVersion.put(uid, version);
            assertTrue(previous == null || previous < version, "resourceVersions of " + uid + " increase");
            if (event.path("type").asText().equals("DELETED")) {
                ConsumerRecord<byte[], byte[]> next = records.stream()
                        .filter(r -> r.partition() == record.partition() && r.offset() > record.offset()).findFirst().orElseThrow();
                assertNull(next.value(), "a tombstone follows each DELETED record");
                assertEquals(uid, new String(next.key(), StandardCharsets.UTF_8));
                for (String name : ATTRIBUTION) {
                    assertEquals(TopicContents.header(record, name), TopicContents.header(next, name), name + " of the tombstone");
                }
            }
        }
        assertTrue(records.stream().anyMatch(r -> "DELETED".equals(TopicContents.header(r, "k8s.type"))), "the churn deleted pods");
        partitionsByUid.forEach((uid, partitions) -> assertEquals(1, partitions.size(), uid + " lands in one partition"));
    }

    /**
     * k8s.manager, k8s.operation and k8s.changed-at name the newest managedFields entry: the greatest
     * time, the later entry on a tie. Objects without managedFields (or whose value had them dropped)
     * are not checked here.
     */
    public static void assertAttributionMatches(ConsumerRecord<byte[], byte[]> record, JsonNode metadata) {
        JsonNode newest = null;
        for (JsonNode entry : metadata.path("managedFields")) {
            if (newest == null || !time(entry).isBefore(time(newest))) {
                newest = entry;
            }
        }
        if (newest == null) {
            return;
        }
        String object = metadata.path("namespace").asText() + "/" + metadata.path("name").asText() + "@" + metadata.path("resourceVersion").asText();
        assertEquals(newest.path("manager").asText(null), TopicContents.header(record, "k8s.manager"), "k8s.manager of " + object);
        assertEquals(newest.path("operation").asText(null), TopicContents.header(record, "k8s.operation"), "k8s.operation of " + object);
        assertEquals(newest.path("time").asText(null), TopicContents.header(record, "k8s.changed-at"), "k8s.changed-at of " + object);
    }

    private static Instant time(JsonNode entry) {
        return entry.hasNonNull("time") ? Instant.parse(entry.get("time").asText()) : Instant.MIN;
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
