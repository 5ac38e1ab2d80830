package io.kube2kafka.watch;

/** The watch event types the API server sends (watch.EventType in apimachinery). */
public enum EventType {
    ADDED, MODIFIED, DELETED, BOOKMARK, ERROR;

    /** Null for a type this version does not know, so the caller can name it in its error. */
    static EventType parse(String name) {
        if (name == null) {
            return null;
        }
        switch (name) {
            case "ADDED": return ADDED;
            case "MODIFIED": return MODIFIED;
            case "DELETED": return DELETED;
            case "BOOKMARK": return BOOKMARK;
            case "ERROR": return ERROR;
            default: return null;
        }
    }
}
