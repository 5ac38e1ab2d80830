package io.kube2kafka.watch;

/**
 * An ADDED, MODIFIED or DELETED event for one object, ready to publish.
 *
 * @param namespace "" for cluster-scoped objects
 * @param json the whole event, {"type":...,"object":{...}}, as the API server sent it (or as the
 *     bridge derived it from a list); downstream publishes these bytes unchanged
 * @param attribution who last wrote the object, from its newest managedFields entry, read before any
 *     transform; null when the object has no managedFields
 * @param reason null for an ordinary event; {@link Reason#LEFT_SELECTION} for a DELETED whose object
 *     still exists but no longer matches the watch's selectors ({@link SelectionCheck})
 * @param handover for a DELETED that left the selection: another watch writing the same topic that
 *     still selects the object, and the object's state as that watch sees it. Downstream writes that
 *     state after the DELETED instead of a tombstone. Null otherwise.
 */
public record WatchEvent(EventType type, Origin origin, String uid, String namespace, String name,
                         String resourceVersion, byte[] json, Attribution attribution, Reason reason, Handover handover) {

    /** An ordinary event whose object says nothing of who wrote it. */
    public WatchEvent(EventType type, Origin origin, String uid, String namespace, String name,
                      String resourceVersion, byte[] json) {
        this(type, origin, uid, namespace, name, resourceVersion, json, null, null, null);
    }

    /** An ordinary event: no reason, no handover. */
    public WatchEvent(EventType type, Origin origin, String uid, String namespace, String name,
                      String resourceVersion, byte[] json, Attribution attribution) {
        this(type, origin, uid, namespace, name, resourceVersion, json, attribution, null, null);
    }

    /** This DELETED, said of an object that left the watch's selection; {@code handover} may be null. */
    public WatchEvent leftSelection(Handover handover) {
        return new WatchEvent(type, origin, uid, namespace, name, resourceVersion, json, attribution, Reason.LEFT_SELECTION, handover);
    }

    /**
     * An object that left one watch's selection is still in another's, and both write one topic.
     *
     * @param watch the watch that still selects the object; the record of {@code event} names it
     * @param event the object's current state, an ADDED with reason {@link Reason#STILL_SELECTED}
     */
    public record Handover(WatchTarget watch, WatchEvent event) {
    }

    /** Why an event is not what its type alone says; the value of the kube2kafka.reason header. */
    public enum Reason {
        /** A DELETED for an object that still exists: it stopped matching the watch's selectors. */
        LEFT_SELECTION("left-selection"),
        /** The state written after a {@link #LEFT_SELECTION} DELETED, for the watch of the topic that still selects the object. */
        STILL_SELECTED("still-selected");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
