package io.kube2kafka.testing;

import io.kube2kafka.sim.Change;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares the watch events a read_committed consumer sees with every change the simulated cluster
 * made: each change after a point exactly once (or at least once), by uid and resourceVersion.
 */
public final class ExactlyOnce {
    private ExactlyOnce() {
    }

    /** How often each watch event (uid@resourceVersion) is in the topic. */
    public static Map<String, Integer> watchEventCounts(TopicContents topic) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : topic.events()) {
            if ("watch".equals(TopicContents.header(record, "kube2kafka.origin"))) {
                counts.merge(TopicContents.header(record, "k8s.uid") + "@" + TopicContents.header(record, "k8s.resourceVersion"), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Changes the cluster made after resourceVersion {@code after} that the topic lacks. */
    public static List<String> missing(TopicContents topic, List<Change> changes, long after) {
        Map<String, Integer> seen = watchEventCounts(topic);
        List<String> missing = new ArrayList<>();
        for (Change change : changes) {
            if (Long.parseLong(change.resourceVersion()) > after && !seen.containsKey(change.uid() + "@" + change.resourceVersion())) {
                missing.add(change.type() + " " + change.uid() + "@" + change.resourceVersion());
            }
        }
        return missing;
    }

    public static List<String> duplicates(TopicContents topic) {
        List<String> duplicates = new ArrayList<>();
        watchEventCounts(topic).forEach((event, count) -> {
            if (count > 1) {
                duplicates.add(event + " x" + count);
            }
        });
        return duplicates;
    }

    /** Every change after {@code after} is in the topic as a watch event, and none twice. */
    public static void assertEveryChangeExactlyOnce(TopicContents topic, List<Change> changes, long after) {
        assertEquals(List.of(), missing(topic, changes, after), "changes missing from the topic");
        assertEquals(List.of(), duplicates(topic), "watch events published twice");
        assertTrue(changes.stream().anyMatch(c -> Long.parseLong(c.resourceVersion()) > after), "the test made changes to check");
    }
}
