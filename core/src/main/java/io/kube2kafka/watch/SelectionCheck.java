package io.kube2kafka.watch;

import io.kube2kafka.watch.ListPageParser.ListedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Tells a selector watch's DELETED apart: a deletion, or an object that stopped matching the
 * selectors. The event alone cannot say: kube-apiserver's cache watcher sends a selector watch
 * DELETED with the object's previous state in both cases (cacher/cache_watcher.go,
 * convertToWatchEvent: {@code case !curObjPasses && oldObjPasses: ... return &watch.Event{Type:
 * watch.Deleted, Object: oldObj}}). So the server is asked.
 *
 * <ol>
 *   <li>Is the object still there? A list in its namespace with {@code metadata.name=<name>}, which
 *       every resource supports as a field selector (kubernetes.io, "Field Selectors": "All resource
 *       types support the metadata.name and metadata.namespace fields"). A list rather than a GET so
 *       the bridge needs no RBAC verb beyond the list and watch it already has. Gone, or the name now
 *       belongs to another uid: a deletion, published exactly as before.</li>
 *   <li>Still there with the same uid: it left the selection, and the DELETED says so
 *       ({@link WatchEvent.Reason#LEFT_SELECTION}).</li>
 *   <li>Several watches can write one topic (namespaces or selectors of one resource). If another of
 *       them selects the object now (the same list, with that watch's selectors added: the server is
 *       the authority on selector semantics), a tombstone would wipe a live object from the compacted
 *       topic. The event then carries a {@link WatchEvent.Handover}: the object's state as that watch
 *       sees it, written after the DELETED instead of a tombstone, in that watch's name.</li>
 * </ol>
 *
 * <p>Why the compacted topic stays right whatever order the watches publish in: every watch of a
 * topic hands on its batches in turns ({@link #turn()}), and a judgement is made and handed on within
 * one turn. Downstream keeps the order batches were handed on in (one queue, one producer), so each
 * record of an object lands after every record handed on before it. A tombstone is written only when,
 * at the moment of the judgement, no watch of the topic selected the object; an object that enters a
 * selection later reaches that watch as an ADDED, which is handed on in a later turn and so lands
 * after the tombstone. A handover state is written only while its watch selects the object; if the
 * object leaves it later, that watch's own DELETED lands after it and is judged the same way.
 *
 * <p>Cost: only DELETED events of watches with a label or field selector ask, one list, plus one per
 * other watch of the topic that could select the object. A watch with only a namespace never asks:
 * an object's namespace never changes, so it cannot leave.
 *
 * <p>Used by one watch's thread only, apart from the shared turn.
 */
public final class SelectionCheck {
    private static final Logger log = LoggerFactory.getLogger(SelectionCheck.class);

    private final WatchTarget target;
    private final ApiClient api;
    private final List<WatchTarget> siblings;
    private final Object turn;
    private final ListPageParser pageParser = new ListPageParser();

    private SelectionCheck(WatchTarget target, ApiClient api, List<WatchTarget> siblings, Object turn) {
        this.target = target;
        this.api = api;
        this.siblings = List.copyOf(siblings);
        this.turn = turn;
    }

    /** For a watch that shares its topic with no other watch of its resource. */
    public static SelectionCheck alone(WatchTarget target, ApiClient api) {
        return new SelectionCheck(target, api, List.of(), new Object());
    }

    /**
     * One check per target. Targets that write the same destination (a Kafka topic, to the caller)
     * and watch the same resource of the same cluster can hold the same object, so they are siblings
     * and share one turn. Targets of different clusters or resources never share an object (uids are
     * unique), even when a topic template puts them in one topic.
     *
     * @param destination where a target's events go; targets with equal destinations share it
     */
    public static Map<WatchTarget, SelectionCheck> forTargets(List<WatchTarget> targets, ApiClient api,
                                                              Function<WatchTarget, String> destination) {
        Map<String, List<WatchTarget>> groups = new LinkedHashMap<>();
        for (WatchTarget t : targets) {
            String group = destination.apply(t) + "\n" + t.cluster() + "\n" + t.resource().group() + "/" + t.resource().plural();
            groups.computeIfAbsent(group, k -> new ArrayList<>()).add(t);
        }
        Map<WatchTarget, SelectionCheck> checks = new LinkedHashMap<>();
        for (List<WatchTarget> group : groups.values()) {
            Object turn = new Object();
            for (WatchTarget t : group) {
                List<WatchTarget> siblings = new ArrayList<>(group);
                siblings.remove(t);
                checks.put(t, new SelectionCheck(t, api, siblings, turn));
            }
        }
        return checks;
    }

    /** The other watches writing this watch's topic that can hold its objects. */
    public List<WatchTarget> siblings() {
        return siblings;
    }

    /** Whether a DELETED of this watch can mean "left the selection": it has a label or field selector. */
    public boolean judgesDeletions() {
        return !target.labelSelector().isEmpty() || !target.fieldSelector().isEmpty();
    }

    /**
     * The lock every watch of the topic holds while it hands on a batch, and while it judges a
     * DELETED and hands it on, so the two happen in one turn (see the class comment). Reentrant: a
     * judgement holds it and hands on through {@link #inTurns}.
     */
    public Object turn() {
        return turn;
    }

    /** The sink, handed batches in turns with the other watches of the topic; the sink itself when there are none. */
    public WatchSink inTurns(WatchSink sink) {
        if (siblings.isEmpty()) {
            return sink;
        }
        return new WatchSink() {
            @Override
            public void accept(WatchBatch batch) throws InterruptedException {
                synchronized (turn) {
                    sink.accept(batch);
                }
            }

            @Override
            public KnownObjects knownObjects(WatchTarget of) throws InterruptedException {
                // Not in a turn: it waits for Kafka, and the other watches must not wait with it.
                return sink.knownObjects(of);
            }
        };
    }

    /** Each DELETED judged by {@link #judge(WatchEvent)}; call within a turn and hand the result on in the same turn. */
    public List<WatchEvent> judge(List<WatchEvent> deletions) throws IOException, MalformedEventException {
        if (!judgesDeletions()) {
            return deletions;
        }
        List<WatchEvent> judged = new ArrayList<>(deletions.size());
        for (WatchEvent deletion : deletions) {
            judged.add(judge(deletion));
        }
        return judged;
    }

    /**
     * The event to publish for a DELETED this watch received (or derived from a list): unchanged for a
     * deletion, marked {@link WatchEvent.Reason#LEFT_SELECTION} otherwise, with a handover when
     * another watch of the topic selects the object. Call within a turn and hand the result on in
     * the same turn.
     *
     * @throws IOException when the server cannot be asked; the caller retries, as for any failed request
     */
    public WatchEvent judge(WatchEvent deleted) throws IOException, MalformedEventException {
        if (!judgesDeletions() || deleted.type() != EventType.DELETED || deleted.name() == null) {
            return deleted;
        }
        ListedObject current = find(target.resource(), deleted.namespace(), deleted.name(), "", "");
        if (current == null || !current.uid().equals(deleted.uid())) {
            // Gone, or its name was taken by a new object (another uid): the object of this event is deleted.
            return deleted;
        }
        for (WatchTarget sibling : siblings) {
            if (!sibling.namespace().isEmpty() && !sibling.namespace().equals(deleted.namespace())) {
                continue;
            }
            ListedObject selected = sibling.labelSelector().isEmpty() && sibling.fieldSelector().isEmpty() ? current
                    : find(sibling.resource(), deleted.namespace(), deleted.name(), sibling.labelSelector(), sibling.fieldSelector());
            if (selected != null && selected.uid().equals(deleted.uid())) {
                log.debug("{}: {} left the selection; {} still selects it", target, describe(deleted), sibling);
                WatchEvent state = new WatchEvent(EventType.ADDED, Origin.LIST, selected.uid(), selected.namespace(), selected.name(),
                        selected.resourceVersion(), selected.eventJson(EventType.ADDED), selected.attribution(), WatchEvent.Reason.STILL_SELECTED, null);
                return deleted.leftSelection(new WatchEvent.Handover(sibling, state));
            }
        }
        log.debug("{}: {} left the selection", target, describe(deleted));
        return deleted.leftSelection(null);
    }

    /** The object of this name if it matches the selectors now, else null. */
    private ListedObject find(ApiResource resource, String namespace, String name, String labelSelector, String fieldSelector)
            throws IOException, MalformedEventException {
        Map<String, String> query = new LinkedHashMap<>();
        if (!labelSelector.isEmpty()) {
            query.put("labelSelector", labelSelector);
        }
        // Commas join field selector terms with AND.
        query.put("fieldSelector", (fieldSelector.isEmpty() ? "" : fieldSelector + ",") + "metadata.name=" + name);
        List<ListedObject> items = pageParser.parse(api.get(resource.collectionPath(namespace), query), resource).items();
        return items.isEmpty() ? null : items.get(0);
    }

    private static String describe(WatchEvent event) {
        return (event.namespace().isEmpty() ? "" : event.namespace() + "/") + event.name() + " (uid " + event.uid() + ")";
    }
}
