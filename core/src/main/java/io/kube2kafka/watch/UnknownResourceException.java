package io.kube2kafka.watch;

import java.util.List;

/**
 * A configured resource the bridge cannot stream: the API server does not serve it, or serves it without
 * the list and watch verbs. A start-up error that names it.
 */
public final class UnknownResourceException extends Exception {
    private final String resource;
    private final String keyPath;

    public UnknownResourceException(String resource, String why) {
        this(resource, "unknown resource \"" + resource + "\": " + why + " (kubectl api-resources lists what it serves)",
                "resources[].resource", null);
    }

    /** Served, but not with both list and watch: nothing to stream. */
    public static UnknownResourceException notWatchable(String resource, String qualifiedName, List<String> verbs) {
        return new UnknownResourceException(resource, "resource \"" + resource + "\" (" + qualifiedName + ") cannot be "
                + "streamed: the API server allows only " + verbs + " on it, and the bridge needs list and watch; "
                + "remove it from resources", "resources[].resource", null);
    }

    private UnknownResourceException(String resource, String message, String keyPath, Throwable cause) {
        super(message, cause);
        this.resource = resource;
        this.keyPath = keyPath;
    }

    public String resource() {
        return resource;
    }

    /** The configuration key to fix: resources[].resource, or clusters[1].resources[].resource. */
    public String keyPath() {
        return keyPath;
    }

    /** The same problem, said of one entry of several clusters: "cluster b: unknown resource ...". */
    public UnknownResourceException inCluster(String cluster, String entryPath) {
        return new UnknownResourceException(resource, "cluster " + cluster + ": " + getMessage(), entryPath + "." + keyPath, this);
    }
}
