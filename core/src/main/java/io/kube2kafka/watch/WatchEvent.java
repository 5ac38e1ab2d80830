package io.kube2kafka.watch;

/**
 * An ADDED, MODIFIED or DELETED event for one object, ready to publish.
 *
 * @param namespace "" for cluster-scoped objects
 * @param json the whole event, {"type":...,"object":{...}}, as the API server sent it (or as the
 *     bridge derived it from a list); downstream publishes these bytes unchanged
 * @param attribution who last wrote the object, from its newest managedFields entry, read before any
 *     transform; null when the object has no managedFields
 */
public record WatchEvent(EventType type, Origin origin, String uid, String namespace, String name,
                         String resourceVersion, byte[] json, Attribution attribution) {

    /** An event whose object says nothing of who wrote it. */
    public WatchEvent(EventType type, Origin origin, String uid, String namespace, String name,
                      String resourceVersion, byte[] json) {
        this(type, origin, uid, namespace, name, resourceVersion, json, null);
    }
}
