package io.kube2kafka.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/**
 * How {@code tail} prints a record: the readable line (as the demo prints it) followed by the key and
 * the value, or with {@code --json} one JSON object per line in kcat's {@code -J} shape, so scripts
 * that read kcat read this too.
 */
final class TailOutput {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TailOutput() {
    }

    /** e.g. {@code ADDED core/v1/pods default/web-0 rv=1002 watch k8s.prod.core.pods-0@7 key=<uid> {"type":"ADDED",...}}. */
    static String line(ConsumerRecord<byte[], byte[]> record) {
        return RecordLine.format(record) + " key=" + text(record.key()) + " " + (record.value() == null ? "null" : text(record.value()));
    }

    /**
     * {@code {"topic":..,"partition":..,"offset":..,"tstype":"create","ts":..,"broker":-1,"headers":[name,value,...],"key":..,"payload":..}}:
     * kcat -J's fields; the payload is the value as a string (null for a tombstone).
     */
    static String json(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode node = JSON.createObjectNode();
        node.put("topic", record.topic());
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("tstype", record.timestampType().name.replace("Time", "").toLowerCase(java.util.Locale.ROOT));
        node.put("ts", record.timestamp());
        node.put("broker", -1);
        ArrayNode headers = node.putArray("headers");
        for (Header header : record.headers()) {
            headers.add(header.key());
            headers.add(header.value() == null ? null : text(header.value()));
        }
        node.put("key", record.key() == null ? null : text(record.key()));
        node.put("payload", record.value() == null ? null : text(record.value()));
        return node.toString();
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
