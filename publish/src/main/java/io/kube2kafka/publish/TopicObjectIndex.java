package io.kube2kafka.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube2kafka.watch.EventType;
import io.kube2kafka.watch.KnownObjects;
import io.kube2kafka.watch.WatchEvent;
import io.kube2kafka.watch.WatchTarget;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a topic holds for one watch: per live uid, the resourceVersion and where its last record is.
 * Whole objects are never kept: a relist of a 100,000-object cluster costs only this index, and the
 * last state of a vanished object is read back from Kafka when its DELETED is derived.
 *
 * <p>The last record can be gone by then: retention removed it ({@code cleanup.policy=delete}), or
 * compaction did after another watch wrote the same uid. The index is then read again from the topic,
 * once per relist, and a vanished object with no last state left still gets its DELETED, carrying
 * what the index knows (uid, resourceVersion, kind, apiVersion): a relist always ends.
 */
public final class TopicObjectIndex implements KnownObjects {
    private static final Logger log = LoggerFactory.getLogger(TopicObjectIndex.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Before the index is read again: waits until everything the watch handed on is committed (so no
     * update can arrive meanwhile), then tells where the watch's own newest records are, per partition.
     */
    @FunctionalInterface
    interface Settle {
        Map<Integer, Long> ownLastOffsets() throws InterruptedException;
    }

    private final String topic;
    private final TopicReader reader;
    private final WatchTarget target;
    private final Settle settle;
    /** Per live uid: its resourceVersion and where its last record is, at about 50 bytes an object. */
    private final UidTable live = new UidTable();
    /** Read again during the current relist; only the watch's own thread touches it. */
    private boolean reread;

    private TopicObjectIndex(String topic, TopicReader reader, WatchTarget target, Settle settle) {
        this.topic = topic;
        this.reader = reader;
        this.target = target;
        this.settle = settle;
    }

    /**
     * Builds the index from the topic's committed records written by this watch.
     *
     * @param ownLastOffsets per partition, the offset of this watch's newest committed record: the read goes at least that far
     */
    static TopicObjectIndex load(TopicReader reader, String topic, WatchTarget target, Map<Integer, Long> ownLastOffsets, Settle settle) {
        TopicObjectIndex index = new TopicObjectIndex(topic, reader, target, settle);
        index.read(ownLastOffsets);
        index.reread = true; // just read: the list that asked for it has nothing fresher to gain from another read
        return index;
    }

    /** A relist begins with this index: it may read the topic again once. */
    void relistStarts() {
        reread = false;
    }

    /**
     * Applies every committed record of this watch, in order, to the index as it is. Each uid the
     * topic has records of ends as its last record says (live at that position, or gone); a uid the
     * topic has no record of stays as it was.
     */
    private void read(Map<Integer, Long> ownLastOffsets) {
        byte[] watchKey = target.key().getBytes(StandardCharsets.UTF_8);
        reader.readAllWithoutValues(topic, ownLastOffsets, record -> apply(record, watchKey));
    }

    private void apply(ConsumerRecord<byte[], byte[]> record, byte[] watchKey) {
        Header watch = record.headers().lastHeader(HeaderNames.WATCH);
        if (watch == null || !Arrays.equals(watch.value(), watchKey) || record.key() == null) {
            return;
        }
        String uid = new String(record.key(), StandardCharsets.UTF_8);
        Header type = record.headers().lastHeader(HeaderNames.TYPE);
        Header rv = record.headers().lastHeader(HeaderNames.RESOURCE_VERSION);
        boolean deleted = record.value() == null || type != null && EventType.DELETED.name().equals(new String(type.value(), StandardCharsets.UTF_8));
        if (deleted || rv == null) {
            live.remove(uid);
        } else {
            live.put(uid, new String(rv.value(), StandardCharsets.UTF_8), record.partition(), record.offset());
        }
    }

    /** Called after a transaction with this event committed at (partition, offset). */
    public void published(WatchEvent event, int partition, long offset) {
        if (event.type() == EventType.DELETED) {
            live.remove(event.uid());
        } else {
            live.put(event.uid(), event.resourceVersion(), partition, offset);
        }
    }

    @Override
    public String resourceVersionOf(String uid) {
        return live.resourceVersionOf(uid);
    }

    @Override
    public void beginList() {
        live.clearListed();
    }

    @Override
    public String markListed(String uid) {
        return live.markListed(uid);
    }

    @Override
    public List<String> unlisted() {
        return live.unlisted();
    }

    public int size() {
        return live.size();
    }

    /** The heap the index holds (see {@link UidTable#footprintBytes()}). */
    public long footprintBytes() {
        return live.footprintBytes();
    }

    @Override
    public byte[] lastObject(String uid) throws IOException {
        return lastObjects(List.of(uid)).get(uid);
    }

    /**
     * The last objects of these uids, read with one consumer in partition and offset order. A uid
     * whose last record is gone gets what the index knows of it; a uid the topic, read again, shows
     * deleted already is left out (there is nothing left to delete).
     */
    @Override
    public Map<String, byte[]> lastObjects(List<String> uids) throws IOException {
        Map<String, byte[]> found = readLast(uids);
        List<String> missing = uids.stream().filter(uid -> !found.containsKey(uid)).toList();
        if (!missing.isEmpty() && !reread) {
            log.warn("{}: the last records of {} objects (e.g. uid {}) are no longer in {} (retention, or compaction after another"
                    + " watch wrote the same uid); reading what the topic holds again", target, missing.size(), missing.get(0), topic);
            readAgain();
            found.putAll(readLast(missing));
        }
        Map<String, byte[]> objects = new LinkedHashMap<>();
        List<String> withoutState = new ArrayList<>();
        for (String uid : uids) {
            UidTable.Held held = live.get(uid);
            if (held == null) {
                continue;
            }
            JsonNode object = found.containsKey(uid) ? JSON.readTree(found.get(uid)).path("object") : null;
            if (object == null || !object.isObject()) {
                withoutState.add(uid);
                objects.put(uid, minimalObject(uid, held));
            } else {
                objects.put(uid, JSON.writeValueAsBytes(object));
            }
        }
        if (!withoutState.isEmpty()) {
            log.warn("{}: {} objects deleted while unwatched (e.g. uid {}) have no last state left in {}: their DELETED carries only"
                    + " uid, resourceVersion, kind and apiVersion", target, withoutState.size(), withoutState.get(0), topic);
        }
        return objects;
    }

    /** The values of the last records of these uids that are still in the topic, by uid. */
    private Map<String, byte[]> readLast(List<String> uids) {
        Map<TopicReader.Position, String> uidAt = new HashMap<>();
        for (String uid : uids) {
            UidTable.Held held = live.get(uid);
            if (held != null) {
                uidAt.put(new TopicReader.Position(held.partition(), held.offset()), uid);
            }
        }
        Map<String, byte[]> found = new HashMap<>();
        reader.readAt(topic, uidAt.keySet()).forEach((position, value) -> {
            if (value != null) {
                found.put(uidAt.get(position), value);
            }
        });
        return found;
    }

    /**
     * Reads the index from the topic again, in place. A uid of which the topic holds no record of this
     * watch any more stays as it was: downstream was told it is live, and only a DELETED may say otherwise.
     */
    private void readAgain() throws InterruptedIOException {
        Map<Integer, Long> own;
        try {
            own = settle.ownLastOffsets();
        } catch (InterruptedException e) {
            throw new InterruptedIOException("stopped while waiting to read " + topic + " again");
        }
        // In place, so a relist never holds two indexes: the watch hands on nothing while it derives
        // deletions, and everything it handed on is committed.
        read(own);
        reread = true;
    }

    /** The object as far as the index knows it, for a DELETED whose last state is gone from the topic. */
    private byte[] minimalObject(String uid, UidTable.Held held) throws IOException {
        ObjectNode object = JSON.createObjectNode();
        object.put("kind", target.resource().kind());
        object.put("apiVersion", target.resource().groupVersion());
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("uid", uid);
        metadata.put("resourceVersion", held.resourceVersion());
        return JSON.writeValueAsBytes(object);
    }
}
