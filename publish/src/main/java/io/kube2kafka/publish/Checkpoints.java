package io.kube2kafka.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube2kafka.watch.ResumeDecision;
import io.kube2kafka.watch.ResumePoint;
import io.kube2kafka.watch.ResumePoints;
import io.kube2kafka.watch.WatchTarget;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checkpoint topic: one key per watch ({@link WatchTarget#key()}), a JSON value holding the
 * resourceVersion a restarted watch resumes from and the identity of the cluster it belongs to
 * ("clusterUid", when known). Compacted, so it stays as small as the number of watches.
 */
public final class Checkpoints implements ResumePoints {
    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The checkpoint field holding the cluster's identity (the uid of its kube-system namespace). */
    public static final String CLUSTER_UID = "clusterUid";

    private final Map<String, JsonNode> committed;

    private Checkpoints(Map<String, JsonNode> committed) {
        this.committed = committed;
    }

    /** Reads every committed checkpoint; the latest value per key wins. */
    public static Checkpoints read(TopicReader reader, String topic) {
        Map<String, JsonNode> committed = new TreeMap<>();
        reader.readAll(topic, record -> {
            if (record.key() == null) {
                // Not ours (a compacted topic refuses keyless records, so someone else wrote it to a topic created
                // without compaction); no watch resumes from it, and it must not stop every watch from starting.
                log.warn("skipping a record without a key in {} at partition {} offset {}: checkpoints are keyed by watch",
                        topic, record.partition(), record.offset());
                return;
            }
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                committed.remove(key);
                return;
            }
            try {
                committed.put(key, JSON.readTree(record.value()));
            } catch (IOException e) {
                // A checkpoint we cannot read is treated as absent: the watch lists and compares, losing nothing.
                log.error("checkpoint {} in {} at offset {} is not JSON; that watch will list again", key, topic, record.offset());
                committed.remove(key);
            }
        });
        return new Checkpoints(committed);
    }

    /** The stored resume point, unless it belongs to another cluster than the one the target's name points at now. */
    @Override
    public ResumePoint resumePointOf(WatchTarget target) {
        JsonNode value = committed.get(target.key());
        if (value == null || !value.hasNonNull("resourceVersion")) {
            return ResumePoint.of(null);
        }
        return ResumeDecision.resumeFrom(target, value.get("resourceVersion").asText(),
                value.hasNonNull(CLUSTER_UID) ? value.get(CLUSTER_UID).asText() : null);
    }

    /** Every checkpoint by watch key, for the checkpoints command. */
    public Map<String, JsonNode> all() {
        return Map.copyOf(committed);
    }

    public static ProducerRecord<byte[], byte[]> record(String topic, WatchTarget target, String resourceVersion) {
        ObjectNode value = JSON.createObjectNode();
        value.put("resourceVersion", resourceVersion);
        value.put("cluster", target.cluster());
        if (target.clusterUid() != null) {
            value.put(CLUSTER_UID, target.clusterUid());
        }
        value.put("resource", target.resource().qualifiedName());
        value.put("namespace", target.namespace());
        value.put("labelSelector", target.labelSelector());
        value.put("fieldSelector", target.fieldSelector());
        value.put("committedAt", Instant.now().toString());
        return new ProducerRecord<>(topic, target.key().getBytes(StandardCharsets.UTF_8), value.toString().getBytes(StandardCharsets.UTF_8));
    }
}
