package io.kube2kafka.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube2kafka.transform.ObjectTransform;
import io.kube2kafka.watch.EventType;
import io.kube2kafka.watch.WatchEvent;
import io.kube2kafka.watch.WatchTarget;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a watch event into its Kafka records: one keyed by metadata.uid whose value is the event's
 * bytes, and after a DELETED, a tombstone, so a compacted topic keeps exactly the live objects.
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

    public RecordFactory(TopicNames topics, ObjectTransform transform, boolean tombstones, int maxRecordBytes, boolean failOnOversized) {
        this.topics = topics;
        this.transform = transform;
        this.tombstones = tombstones;
        this.maxRecordBytes = maxRecordBytes;
        this.failOnOversized = failOnOversized;
    }

    public String topicFor(WatchTarget target) {
        return topics.topicFor(target);
    }

    public List<ProducerRecord<byte[], byte[]>> records(WatchTarget target, WatchEvent event) {
        byte[] key = event.uid().getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = headers(target, event);
        byte[] value = transform.apply(target.resource(), event.json());
        if (value.length + key.length + RECORD_OVERHEAD > maxRecordBytes) {
            value = oversized(target, event, value.length, headers);
        }
        String topic = topics.topicFor(target);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(2);
        records.add(new ProducerRecord<>(topic, null, key, value, headers));
        if (tombstones && event.type() == EventType.DELETED) {
            records.add(new ProducerRecord<>(topic, null, key, null, headers(target, event)));
        }
        return records;
    }

    private RecordHeaders headers(WatchTarget target, WatchEvent event) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, Headers.TYPE, event.type().name());
        add(headers, Headers.CLUSTER, target.cluster());
        add(headers, Headers.RESOURCE, target.resource().qualifiedName());
        if (!event.namespace().isEmpty()) {
            add(headers, Headers.NAMESPACE, event.namespace());
        }
        if (event.name() != null) {
            add(headers, Headers.NAME, event.name());
        }
        add(headers, Headers.UID, event.uid());
        add(headers, Headers.RESOURCE_VERSION, event.resourceVersion());
        add(headers, Headers.ORIGIN, event.origin().label());
        add(headers, Headers.WATCH, target.key());
        return headers;
    }

    /**
     * An event Kafka would refuse. Never dropped silently: either the bridge stops (nothing is
     * checkpointed past it, so nothing is lost), or a small marker naming the object and its size
     * takes its place.
     */
    private byte[] oversized(WatchTarget target, WatchEvent event, int size, RecordHeaders headers) {
        String object = target.resource().qualifiedName() + " " + (event.namespace().isEmpty() ? "" : event.namespace() + "/")
                + event.name() + " (uid " + event.uid() + ", resourceVersion " + event.resourceVersion() + ")";
        if (failOnOversized) {
            throw new OversizedEventException(object + " is " + size + " bytes, over the producer's max.request.size of "
                    + maxRecordBytes + "; raise kafka.producer.\"max.request.size\" (and the topic's max.message.bytes) or set output.oversized = marker");
        }
        log.error("{} is {} bytes, over the producer's max.request.size of {}: publishing a marker record instead",
                object, size, maxRecordBytes);
        add(headers, Headers.OVERSIZED, Integer.toString(size));
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

    private static void add(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** output.oversized = fail: the bridge stops rather than publish a record Kafka refuses. */
    public static final class OversizedEventException extends RuntimeException {
        public OversizedEventException(String message) {
            super(message);
        }
    }
}
