package io.kube2kafka.connect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube2kafka.watch.ApiResource;
import io.kube2kafka.watch.ListCause;
import io.kube2kafka.watch.ResumePoint;
import io.kube2kafka.watch.WatchTarget;
import org.apache.kafka.common.config.ConfigException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The watches one task runs, carried in its task configuration. The connector resolves resources
 * through discovery once, so tasks start watching without asking the API server what a name means,
 * and every task agrees with the connector on the watch keys (the source partitions).
 */
final class WatchAssignment {
    /** Task-only key, set by the connector: a JSON array of the task's watches. */
    static final String WATCHES_CONFIG = "task.watches";
    /** Task-only key, set by the connector: a JSON array of the keys of the task's watches found by discovery while it ran. */
    static final String DISCOVERED_CONFIG = "task.discovered-watches";
    /**
     * Task-only key, set by the connector on its first task alone: a JSON array of the keys of every watch of
     * the connector. That task answers a signal naming a watch of the cluster that none of them runs.
     */
    static final String CONNECTOR_WATCHES_CONFIG = "task.connector-watches";
    private static final ObjectMapper JSON = new ObjectMapper();

    private WatchAssignment() {
    }

    /**
     * Splits the watches round-robin over at most maxTasks tasks; never an empty task. Watches that
     * write one topic stay in one task: the task orders their records (watch.SelectionCheck), which
     * tasks with producers of their own could not.
     *
     * @param topicFor the topic a watch writes
     */
    static List<List<WatchTarget>> split(List<WatchTarget> targets, int maxTasks, Function<WatchTarget, String> topicFor) {
        Map<String, List<WatchTarget>> byTopic = new LinkedHashMap<>();
        for (WatchTarget target : targets) {
            byTopic.computeIfAbsent(topicFor.apply(target), k -> new ArrayList<>()).add(target);
        }
        List<List<WatchTarget>> groups = new ArrayList<>(byTopic.values());
        int tasks = Math.max(1, Math.min(maxTasks, groups.size()));
        List<List<WatchTarget>> shares = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < groups.size(); i++) {
            shares.get(i % tasks).addAll(groups.get(i));
        }
        return shares;
    }

    static String encode(List<WatchTarget> targets) {
        ArrayNode array = JSON.createArrayNode();
        for (WatchTarget target : targets) {
            ObjectNode node = array.addObject();
            node.put("cluster", target.cluster());
            node.put("group", target.resource().group());
            node.put("version", target.resource().version());
            node.put("plural", target.resource().plural());
            node.put("kind", target.resource().kind());
            node.put("namespaced", target.resource().namespaced());
            node.put("namespace", target.namespace());
            node.put("labelSelector", target.labelSelector());
            node.put("fieldSelector", target.fieldSelector());
        }
        return array.toString();
    }

    static String encodeKeys(List<WatchTarget> targets) {
        ArrayNode array = JSON.createArrayNode();
        targets.stream().map(WatchTarget::key).forEach(array::add);
        return array.toString();
    }

    /** Every watch key of the connector, on the task that answers unknown watches; null on the others. */
    static Set<String> connectorWatches(Map<String, String> taskProps) {
        String encoded = taskProps.get(CONNECTOR_WATCHES_CONFIG);
        if (encoded == null) {
            return null;
        }
        try {
            Set<String> keys = new java.util.HashSet<>();
            JSON.readTree(encoded).forEach(key -> keys.add(key.asText()));
            return Set.copyOf(keys);
        } catch (JsonProcessingException e) {
            throw new ConfigException(CONNECTOR_WATCHES_CONFIG, encoded, "not the JSON the connector writes: " + e.getOriginalMessage());
        }
    }

    static String encodeDiscovered(List<WatchTarget> share, Set<String> discovered) {
        ArrayNode array = JSON.createArrayNode();
        share.stream().map(WatchTarget::key).filter(discovered::contains).forEach(array::add);
        return array.toString();
    }

    /**
     * A watch discovered while the connector ran lists first with reason "discovered"; with an offset (it
     * ran before this reconfiguration) it resumes as any other.
     */
    static ResumePoint resumePoint(WatchTarget target, ResumePoint stored, Map<String, String> taskProps) {
        if (stored.resumes() || stored.listCause() != ListCause.FIRST_START) {
            return stored;
        }
        String encoded = taskProps.get(DISCOVERED_CONFIG);
        if (encoded == null) {
            return stored;
        }
        try {
            for (JsonNode key : JSON.readTree(encoded)) {
                if (key.asText().equals(target.key())) {
                    return new ResumePoint(null, stored.storedResourceVersion(), ListCause.DISCOVERED);
                }
            }
            return stored;
        } catch (JsonProcessingException e) {
            throw new ConfigException(DISCOVERED_CONFIG, encoded, "not the JSON the connector writes: " + e.getOriginalMessage());
        }
    }

    static List<WatchTarget> decode(String encoded) {
        if (encoded == null) {
            throw new ConfigException(WATCHES_CONFIG, null, "missing: the connector assigns each task its watches");
        }
        try {
            List<WatchTarget> targets = new ArrayList<>();
            for (JsonNode node : JSON.readTree(encoded)) {
                ApiResource resource = new ApiResource(node.path("group").asText(), node.path("version").asText(),
                        node.path("plural").asText(), node.path("kind").asText(), node.path("namespaced").asBoolean());
                targets.add(new WatchTarget(node.path("cluster").asText(), resource, node.path("namespace").asText(),
                        node.path("labelSelector").asText(), node.path("fieldSelector").asText()));
            }
            return targets;
        } catch (JsonProcessingException e) {
            throw new ConfigException(WATCHES_CONFIG, encoded, "not the JSON the connector writes: " + e.getOriginalMessage());
        }
    }
}
