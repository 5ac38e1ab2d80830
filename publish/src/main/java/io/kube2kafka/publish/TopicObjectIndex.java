package io.kube2kafka.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube2kafka.watch.EventType;
import io.kube2kafka.watch.KnownObjects;
import io.kube2kafka.watch.WatchEvent;
import io.kube2kafka.watch.WatchTarget;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a topic holds for one watch: per live uid, the resourceVersion and where its last record is.
 * Whole objects are never kept: a relist of a 100,000-object cluster costs only this index, and the
 * last state of a vanished object is read back from Kafka when its DELETED is derived.
 */
public final class TopicObjectIndex implements KnownObjects {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the last record of a live object is. */
    private record Held(String resourceVersion, int partition, long offset) {
    }

    private final String topic;
    private final TopicReader reader;
    private final Map<String, Held> live = new ConcurrentHashMap<>();

    private TopicObjectIndex(String topic, TopicReader reader) {
        this.topic = topic;
        this.reader = reader;
    }

    /** Builds the index from the topic's committed records written by this watch. */
    public static TopicObjectIndex load(TopicReader reader, String topic, WatchTarget target) {
        TopicObjectIndex index = new TopicObjectIndex(topic, reader);
        byte[] watchKey = target.key().getBytes(StandardCharsets.UTF_8);
        reader.readAll(topic, record -> index.apply(record, watchKey));
        return index;
    }

    private void apply(ConsumerRecord<byte[], byte[]> record, byte[] watchKey) {
        Header watch = record.headers().lastHeader(Headers.WATCH);
        if (watch == null || !java.util.Arrays.equals(watch.value(), watchKey) || record.key() == null) {
            return;
        }
        String uid = new String(record.key(), StandardCharsets.UTF_8);
        Header type = record.headers().lastHeader(Headers.TYPE);
        Header rv = record.headers().lastHeader(Headers.RESOURCE_VERSION);
        boolean deleted = record.value() == null || type != null && EventType.DELETED.name().equals(new String(type.value(), StandardCharsets.UTF_8));
        if (deleted || rv == null) {
            live.remove(uid);
        } else {
            live.put(uid, new Held(new String(rv.value(), StandardCharsets.UTF_8), record.partition(), record.offset()));
        }
    }

    /** Called after a transaction with this event committed at (partition, offset). */
    public void published(WatchEvent event, int partition, long offset) {
        if (event.type() == EventType.DELETED) {
            live.remove(event.uid());
        } else {
            live.put(event.uid(), new Held(event.resourceVersion(), partition, offset));
        }
    }

    @Override
    public String resourceVersionOf(String uid) {
        Held held = live.get(uid);
        return held == null ? null : held.resourceVersion();
    }

    @Override
    public Set<String> uids() {
        return Set.copyOf(live.keySet());
    }

    public int size() {
        return live.size();
    }

    @Override
    public byte[] lastObject(String uid) throws IOException {
        return lastObjects(List.of(uid)).get(uid);
    }

    /** Reads the last records of these uids with one consumer, in partition and offset order. */
    @Override
    public Map<String, byte[]> lastObjects(List<String> uids) throws IOException {
        Map<TopicReader.Position, String> uidAt = new HashMap<>();
        for (String uid : uids) {
            Held held = live.get(uid);
            if (held == null) {
                throw new IOException("no record held for uid " + uid + " in " + topic);
            }
            uidAt.put(new TopicReader.Position(held.partition(), held.offset()), uid);
        }
        Map<TopicReader.Position, byte[]> values = reader.readAt(topic, uidAt.keySet());
        Map<String, byte[]> objects = new LinkedHashMap<>();
        for (String uid : uids) {
            Held held = live.get(uid);
            byte[] value = values.get(new TopicReader.Position(held.partition(), held.offset()));
            if (value == null) {
                throw new IOException("the last record of uid " + uid + " (" + topic + " partition " + held.partition()
                        + " offset " + held.offset() + ") is no longer in the topic");
            }
            JsonNode object = JSON.readTree(value).path("object");
            if (!object.isObject()) {
                throw new IOException("the last record of uid " + uid + " in " + topic + " has no object");
            }
            objects.put(uid, JSON.writeValueAsBytes(object));
        }
        return objects;
    }
}
