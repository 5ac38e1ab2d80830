package io.kube2kafka.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube2kafka.transform.ObjectTransform;
import io.kube2kafka.watch.EventType;
import io.kube2kafka.watch.WatchEvent;
import io.kube2kafka.watch.WatchTarget;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Turns a watch event into its Kafka records: one keyed by metadata.uid whose value is the event's
 * bytes, and after a DELETED, a tombstone, so a compacted topic keeps exactly the live objects. A
 * DELETED of an object that only left the watch's selection says so (kube2kafka.reason); if another
 * watch of the topic still selects it, that watch's state of it follows instead of the tombstone.
 */
public final class RecordFactory {
    private static final Logger log = LoggerFactory.getLogger(RecordFactory.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Room for the record's framing and headers within max.request.size. */
    private static final int RECORD_OVERHEAD = 1024;

    private final TopicNames topics;
    private final ObjectTransform transform;
    private final boolean tombstones;
    private final int maxRecordBytes;
    private final boolean failOnOversized;
    private final ToIntFunction<String> topicMaxMessageBytes;
    private final EventHeaders headers = new EventHeaders();

    public RecordFactory(TopicNames topics, ObjectTransform transform, boolean tombstones, int maxRecordBytes, boolean failOnOversized) {
        this(topics, transform, tombstones, maxRecordBytes, failOnOversized, topic -> Integer.MAX_VALUE);
    }

    /**
     * @param maxRecordBytes the producer's max.request.size
     * @param topicMaxMessageBytes each topic's max.message.bytes: the broker refuses a larger record even when
     *     the producer would send it
     */
    public RecordFactory(TopicNames topics, ObjectTransform transform, boolean tombstones, int maxRecordBytes, boolean failOnOversized,
                         ToIntFunction<String> topicMaxMessageBytes) {
        this.topics = topics;
        this.transform = transform;
        this.tombstones = tombstones;
        this.maxRecordBytes = maxRecordBytes;
        this.failOnOversized = failOnOversized;
        this.topicMaxMessageBytes = topicMaxMessageBytes;
    }

    public String topicFor(WatchTarget target) {
        return topics.topicFor(target);
    }

    /** The producer records of one event, for the standalone bridge's transactional publisher. */
    public List<ProducerRecord<byte[], byte[]>> records(WatchTarget target, WatchEvent event) {
        List<Outgoing> outgoing = outgoing(target, event);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(outgoing.size());
        for (Outgoing record : outgoing) {
            records.add(new ProducerRecord<>(record.topic(), null, record.key(), record.value(), Arrays.<Header>asList(record.headers)));
        }
        return records;
    }

    /**
     * The records of one event, in the order they must be written, independent of the client that
     * writes them: the standalone bridge's producer and the Kafka Connect source task both build
     * theirs from this, so key, value, headers and tombstones are the same wherever they come from.
     */
    public List<Outgoing> outgoing(WatchTarget target, WatchEvent event) {
        byte[] key = event.uid().getBytes(StandardCharsets.UTF_8);
        byte[] value = transform.apply(target.resource(), event.json());
        String topic = topics.topicFor(target);
        int topicLimit = topicMaxMessageBytes.applyAsInt(topic);
        int oversizedBytes = 0;
        if (value.length + key.length + RECORD_OVERHEAD > Math.min(maxRecordBytes, topicLimit)) {
            String limit = topicLimit < maxRecordBytes ? "topic " + topic + "'s max.message.bytes of " + topicLimit
                    : "the producer's max.request.size of " + maxRecordBytes;
            oversizedBytes = value.length;
            value = oversized(target, event, value.length, limit);
        }
        List<Outgoing> records = new ArrayList<>(2);
        EventHeaders.TextHeader[] eventHeaders = headers.of(target, event, key, oversizedBytes);
        records.add(new Outgoing(topic, key, value, eventHeaders));
        if (event.type() == EventType.DELETED && event.handover() != null) {
            // The object left this watch's selection but another watch of the topic selects it: its state,
            // in that watch's name, takes the tombstone's place, so the compacted topic keeps it. Always the
            // last record of the event: the publishers tell that watch's index where it is from that.
            records.addAll(outgoing(event.handover().watch(), event.handover().event()));
        } else if (tombstones && event.type() == EventType.DELETED) {
            // The DELETED's own headers, but for the marker's size when the DELETED stood in for an oversized event.
            records.add(new Outgoing(topic, key, null, oversizedBytes == 0 ? eventHeaders : headers.of(target, event, key, 0)));
        }
        return records;
    }

    /** One record to write. */
    public static final class Outgoing {
        private final String topic;
        private final byte[] key;
        private final byte[] value;
        /** Never changed once built, so records may share them: the producer's record copies them from a view of the array. */
        private final EventHeaders.TextHeader[] headers;

        /** A record without headers (a notification). */
        public Outgoing(String topic, byte[] key, byte[] value) {
            this(topic, key, value, new EventHeaders.TextHeader[0]);
        }

        /** @param value null for a tombstone */
        Outgoing(String topic, byte[] key, byte[] value, EventHeaders.TextHeader[] headers) {
            this.topic = topic;
            this.key = key;
            this.value = value;
            this.headers = headers;
        }

        public String topic() {
            return topic;
        }

        public byte[] key() {
            return key;
        }

        /** Null for a tombstone. */
        public byte[] value() {
            return value;
        }

        /** Header names to their UTF-8 values, in the order they are written. */
        public Map<String, String> headerValues() {
            Map<String, String> values = new LinkedHashMap<>();
            for (EventHeaders.TextHeader header : headers) {
                values.put(header.key(), header.text());
            }
            return values;
        }
    }

    /**
     * An event Kafka would refuse. Never dropped silently: either the bridge stops (nothing is
     * checkpointed past it, so nothing is lost), or a small marker naming the object and its size
     * takes its place.
     */
    private byte[] oversized(WatchTarget target, WatchEvent event, int size, String limit) {
        String object = target.resource().qualifiedName() + " " + (event.namespace().isEmpty() ? "" : event.namespace() + "/")
                + event.name() + " (uid " + event.uid() + ", resourceVersion " + event.resourceVersion() + ")";
        if (failOnOversized) {
            throw new OversizedEventException(object + " is " + size + " bytes, over " + limit
                    + "; raise kafka.producer.\"max.request.size\" (and the topic's max.message.bytes) or set output.oversized = marker");
        }
        log.error("{} is {} bytes, over {}: publishing a marker record instead", object, size, limit);
        ObjectNode marker = JSON.createObjectNode();
        marker.put("type", event.type().name());
        ObjectNode obj = marker.putObject("object");
        obj.put("kind", target.resource().kind());
        obj.put("apiVersion", target.resource().groupVersion());
        ObjectNode metadata = obj.putObject("metadata");
        metadata.put("name", event.name());
        if (!event.namespace().isEmpty()) {
            metadata.put("namespace", event.namespace());
        }
        metadata.put("uid", event.uid());
        metadata.put("resourceVersion", event.resourceVersion());
        ObjectNode note = marker.putObject("kube2kafka");
        note.put("oversized", true);
        note.put("bytes", size);
        note.put("maxRequestSize", maxRecordBytes);
        return marker.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** output.oversized = fail: the bridge stops rather than publish a record Kafka refuses. */
    public static final class OversizedEventException extends RuntimeException {
        public OversizedEventException(String message) {
            super(message);
        }
    }
}
