package io.kube2kafka.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube2kafka.watch.ListSummary;
import io.kube2kafka.watch.WatchTarget;

import java.nio.charset.StandardCharsets;

/**
 * The records of the notification topic ({@code kafka.notification-topic}), built in this one place
 * for the bridge's publisher, the Connect task and the signal listener, so they cannot drift apart.
 *
 * <p>The key is the watch as {@code ./kube2kafka checkpoints} names it ({@link WatchTarget#key()}), so
 * a consumer sees the notifications of one watch in order on one partition. Values are JSON:
 * <ul>
 *   <li>{@code {"type":"snapshot",...}} for a completed list (see {@link #snapshot}); written in the
 *       same transaction as the list's last records and its checkpoint;</li>
 *   <li>{@code {"type":"unknown-watch","watch":W,"signal":S,"at":T}} for a signal naming no watch of a
 *       cluster this instance streams;</li>
 *   <li>{@code {"type":"malformed-signal","problem":P,"signal":S,"at":T}} for a signal that cannot be
 *       read, keyed by what it named as its watch when that much could be read.</li>
 * </ul>
 */
public final class Notifications {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The {@code type} of a completed list's notification. */
    public static final String SNAPSHOT = "snapshot";
    /** The {@code type} of the answer to a signal that names no watch of this instance's clusters. */
    public static final String UNKNOWN_WATCH = "unknown-watch";
    /** The {@code type} of the answer to a signal that is not a valid request. */
    public static final String MALFORMED_SIGNAL = "malformed-signal";

    private Notifications() {
    }

    /** The key of a watch's notifications. */
    public static byte[] key(WatchTarget target) {
        return target.key().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A completed list, as the contract spells it: {@code {"type":"snapshot","cluster":C,"watch":W,
     * "resource":"core/v1/pods","reason":R,"method":M,"fromResourceVersion":X,"toResourceVersion":Y,
     * "unchanged":N,"changed":N,"added":N,"deleted":N,"startedAt":T,"completedAt":T}} with ISO-8601
     * instants and X null on a first start.
     */
    public static byte[] snapshot(WatchTarget target, ListSummary summary) {
        ObjectNode value = JSON.createObjectNode();
        value.put("type", SNAPSHOT);
        value.put("cluster", target.cluster());
        value.put("watch", target.key());
        value.put("resource", target.resource().qualifiedName());
        value.put("reason", summary.cause().label());
        value.put("method", summary.method().label());
        value.put("fromResourceVersion", summary.fromResourceVersion());
        value.put("toResourceVersion", summary.toResourceVersion());
        value.put("unchanged", summary.unchanged());
        value.put("changed", summary.changed());
        value.put("added", summary.added());
        value.put("deleted", summary.deleted());
        value.put("startedAt", summary.startedAt().toString());
        value.put("completedAt", summary.completedAt().toString());
        return bytes(value);
    }

    /** The answer to a signal naming a watch this instance's clusters do not have. */
    public static byte[] unknownWatch(String watch, String signal, java.time.Instant at) {
        ObjectNode value = JSON.createObjectNode();
        value.put("type", UNKNOWN_WATCH);
        value.put("watch", watch);
        value.put("signal", signal);
        value.put("at", at.toString());
        return bytes(value);
    }

    /** The answer to a signal that is not a valid request; {@code watch} is null when none could be read. */
    public static byte[] malformedSignal(String watch, String problem, String signal, java.time.Instant at) {
        ObjectNode value = JSON.createObjectNode();
        value.put("type", MALFORMED_SIGNAL);
        value.put("watch", watch);
        value.put("problem", problem);
        value.put("signal", signal);
        value.put("at", at.toString());
        return bytes(value);
    }

    private static byte[] bytes(ObjectNode value) {
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }
}
