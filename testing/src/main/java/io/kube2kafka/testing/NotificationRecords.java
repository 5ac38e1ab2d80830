package io.kube2kafka.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The notifications a user reads for one watch: the committed values keyed by it, in topic order, as JSON. */
public final class NotificationRecords {
    /** The default of kafka.notification-topic. */
    public static final String DEFAULT_TOPIC = "kube2kafka.notifications";
    private static final ObjectMapper JSON = new ObjectMapper();

    private NotificationRecords() {
    }

    public static List<JsonNode> of(String bootstrapServers, String watch) {
        List<JsonNode> found = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicContents.read(bootstrapServers, DEFAULT_TOPIC).records()) {
            if (record.key() != null && watch.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                try {
                    found.add(JSON.readTree(record.value()));
                } catch (IOException e) {
                    throw new UncheckedIOException("a notification of " + watch + " that is not JSON", e);
                }
            }
        }
        return found;
    }
}
