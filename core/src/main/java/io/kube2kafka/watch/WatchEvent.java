package io.kube2kafka.watch;

/**
 * An ADDED, MODIFIED or DELETED event for one object, ready to publish.
 *
 * @param namespace "" for cluster-scoped objects
 * @param json the whole event, {"type":...,"object":{...}}, as the API server sent it (or as the
 *     bridge derived it from a list); downstream publishes these bytes unchanged
 */
public record WatchEvent(EventType type, Origin origin, String uid, String namespace, String name,
                         String resourceVersion, byte[] json) {
}
