package io.kube2kafka.watch;

import io.kube2kafka.watch.WatchLineParser.ParsedLine;

/**
 * The initial phase of a WatchList stream (KEP-3157, "Consistent reads from cache / watch-list"): a
 * watch with sendInitialEvents=true sends every current object as an ADDED event, then one BOOKMARK
 * annotated {@code k8s.io/initial-events-end: "true"} carrying the list's resourceVersion, then the
 * changes as an ordinary watch (the apiserver's cacher, k8s.io/apiserver/pkg/storage/cacher). Until
 * that bookmark, each object is compared with downstream as a paginated list's item is.
 *
 * <p>A stream that ends, fails or times out before the bookmark is an incomplete list, never a
 * complete one (kubernetes #140890): {@link #complete()} stays false, so no deletion is derived and no
 * resume point is handed on. Events before the bookmark are treated as client-go's reflector treats
 * them (handleAnyWatch into its temporary store): ADDED and MODIFIED are the object's state in the
 * list; DELETED takes it out; a bookmark without the annotation moves nothing, since resuming from the
 * middle of a list would skip the comparison that finds deletions.
 */
final class StreamedList {
    private final ListComparison comparison;
    private String resourceVersion;

    StreamedList(ListComparison comparison) {
        this.comparison = comparison;
    }

    ListComparison comparison() {
        return comparison;
    }

    /** Whether the annotated bookmark has arrived: the list is complete at {@link #resourceVersion()}. */
    boolean complete() {
        return resourceVersion != null;
    }

    /** The list's resourceVersion, from the annotated bookmark; null until then. */
    String resourceVersion() {
        return resourceVersion;
    }

    /**
     * One line of the initial phase (ERROR lines are the caller's).
     *
     * @return the event to hand on, or null: unchanged downstream, or a bookmark
     */
    WatchEvent accept(EventType type, ParsedLine parsed, byte[] line) throws MalformedEventException {
        if (type == EventType.BOOKMARK) {
            if (InitialEventsLine.endsInitialEvents(line)) {
                if (parsed.resourceVersion() == null || parsed.resourceVersion().isEmpty()) {
                    throw new MalformedEventException("the bookmark that ends the initial events has no metadata.resourceVersion", null);
                }
                resourceVersion = parsed.resourceVersion();
            }
            return null;
        }
        if (parsed.uid() == null || parsed.resourceVersion() == null) {
            throw new MalformedEventException(type + " event without metadata.uid or metadata.resourceVersion in a WatchList stream: "
                    + parsed.name(), null);
        }
        String namespace = parsed.namespace() == null ? "" : parsed.namespace();
        if (type == EventType.DELETED) {
            comparison.deletedWhileListing(parsed.uid());
            return new WatchEvent(EventType.DELETED, Origin.WATCH, parsed.uid(), namespace, parsed.name(), parsed.resourceVersion(), line,
                    parsed.attribution());
        }
        return comparison.compare(parsed.uid(), namespace, parsed.name(), parsed.resourceVersion(), parsed.attribution(),
                wanted -> wanted == type ? line : WatchEvents.wrap(wanted, objectOf(line)));
    }

    private static byte[] objectOf(byte[] line) {
        try {
            return InitialEventsLine.object(line);
        } catch (MalformedEventException e) {
            // The line parser has read this line's object already, so its bytes are there.
            throw new IllegalStateException("a parsed event line without its object: " + e.getMessage(), e);
        }
    }
}
