package io.kube2kafka.publish;

import io.kube2kafka.watch.Attribution;
import io.kube2kafka.watch.EventType;
import io.kube2kafka.watch.Origin;
import io.kube2kafka.watch.WatchEvent;
import io.kube2kafka.watch.WatchTarget;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The headers of an event's records, in the order they are written: the one place that decides
 * them, for the standalone bridge's producer and for the Connect task alike.
 *
 * <p>Why headers are built here as Kafka {@link Header}s and not as a map of strings: a pod event
 * carries about fourteen of them, and building a map, then encoding each value, cost the publisher
 * a sixth of its time beyond {@code KafkaProducer.send} (issue 13, docs/benchmark.md). Half of them
 * are the same for every event of a watch (cluster, its uid, resource, watch) or take one of a few
 * values (type, origin, reason), so those are encoded once; Kafka only reads a header's bytes, so one
 * instance serves every record.
 */
final class EventHeaders {
    private static final TextHeader[] TYPES = Arrays.stream(EventType.values())
            .map(type -> header(HeaderNames.TYPE, type.name())).toArray(TextHeader[]::new);
    private static final TextHeader[] ORIGINS = Arrays.stream(Origin.values())
            .map(origin -> header(HeaderNames.ORIGIN, origin.label())).toArray(TextHeader[]::new);
    private static final TextHeader[] REASONS = Arrays.stream(WatchEvent.Reason.values())
            .map(reason -> header(HeaderNames.REASON, reason.label())).toArray(TextHeader[]::new);
    /** The most headers an event has: the oversized marker's is added to them. */
    private static final int MOST = 15;

    /**
     * A header whose value is a string: Kafka's producer reads its UTF-8 bytes, the Connect task its
     * text (Connect encodes header strings itself), so neither converts the other's form back.
     */
    record TextHeader(String key, String text, byte[] value) implements Header {
    }

    /** The headers every event of one watch shares. */
    private record OfWatch(String clusterUidValue, TextHeader cluster, TextHeader clusterUid, TextHeader resource, TextHeader watch) {
        static OfWatch of(WatchTarget target) {
            return new OfWatch(target.clusterUid(), header(HeaderNames.CLUSTER, target.cluster()),
                    target.clusterUid() == null ? null : header(HeaderNames.CLUSTER_UID, target.clusterUid()),
                    header(HeaderNames.RESOURCE, target.resource().qualifiedName()), header(HeaderNames.WATCH, target.key()));
        }
    }

    /**
     * By watch; a watch's cluster uid is not part of its identity, so an entry built before the uid was
     * known is built again. At most one entry per watch the bridge ever ran.
     */
    private final Map<WatchTarget, OfWatch> watches = new ConcurrentHashMap<>();

    /**
     * @param uid the event's uid as UTF-8, shared with the record's key
     * @param oversizedBytes the size of the event a marker record stands in for; 0 for none
     */
    TextHeader[] of(WatchTarget target, WatchEvent event, byte[] uid, int oversizedBytes) {
        OfWatch watch = watches.get(target);
        if (watch == null || !Objects.equals(watch.clusterUidValue(), target.clusterUid())) {
            watch = OfWatch.of(target);
            watches.put(target, watch);
        }
        TextHeader[] headers = new TextHeader[MOST];
        int n = 0;
        headers[n++] = TYPES[event.type().ordinal()];
        headers[n++] = watch.cluster();
        if (watch.clusterUid() != null) {
            headers[n++] = watch.clusterUid();
        }
        headers[n++] = watch.resource();
        if (!event.namespace().isEmpty()) {
            headers[n++] = header(HeaderNames.NAMESPACE, event.namespace());
        }
        if (event.name() != null) {
            headers[n++] = header(HeaderNames.NAME, event.name());
        }
        headers[n++] = new TextHeader(HeaderNames.UID, event.uid(), uid);
        headers[n++] = header(HeaderNames.RESOURCE_VERSION, event.resourceVersion());
        // From the event, not from the value: the parse read it from the bytes the API server sent, so a
        // transform that drops managedFields does not take it away, and a tombstone carries it like its DELETED.
        Attribution attribution = event.attribution();
        if (attribution != null) {
            if (attribution.manager() != null) {
                headers[n++] = header(HeaderNames.MANAGER, attribution.manager());
            }
            if (attribution.operation() != null) {
                headers[n++] = header(HeaderNames.OPERATION, attribution.operation());
            }
            if (attribution.changedAt() != null) {
                headers[n++] = header(HeaderNames.CHANGED_AT, attribution.changedAt());
            }
        }
        headers[n++] = ORIGINS[event.origin().ordinal()];
        headers[n++] = watch.watch();
        if (event.reason() != null) {
            headers[n++] = REASONS[event.reason().ordinal()];
        }
        if (oversizedBytes > 0) {
            headers[n++] = header(HeaderNames.OVERSIZED, Integer.toString(oversizedBytes));
        }
        return n == headers.length ? headers : Arrays.copyOf(headers, n);
    }

    private static TextHeader header(String name, String value) {
        return new TextHeader(name, value, value.getBytes(StandardCharsets.UTF_8));
    }
}
