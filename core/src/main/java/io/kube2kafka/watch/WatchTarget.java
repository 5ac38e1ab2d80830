package io.kube2kafka.watch;

import java.util.Map;

import java.util.Objects;

/**
 * One list-then-watch: a resource in one cluster, optionally narrowed to a namespace and selectors.
 * The API server watches one namespace or all, so a resource configured with several namespaces
 * becomes several targets.
 *
 * <p>A class rather than a record so that its key, which every published event and checkpoint
 * carries, and its hash, which every batch's bookkeeping asks for, are computed once.
 */
public final class WatchTarget {
    private final String cluster;
    private final ApiResource resource;
    private final String namespace;
    private final String labelSelector;
    private final String fieldSelector;
    /** The uid of the cluster's kube-system namespace, or null when unknown; not part of the watch's identity. */
    private final String clusterUid;
    private final String key;
    private final int hashCode;

    /** @param namespace "" or null for all namespaces (and for cluster-scoped resources) */
    public WatchTarget(String cluster, ApiResource resource, String namespace, String labelSelector, String fieldSelector) {
        this(cluster, resource, namespace, labelSelector, fieldSelector, null);
    }

    private WatchTarget(String cluster, ApiResource resource, String namespace, String labelSelector, String fieldSelector,
                        String clusterUid) {
        this.clusterUid = clusterUid;
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.resource = Objects.requireNonNull(resource, "resource");
        this.namespace = namespace == null ? "" : namespace;
        this.labelSelector = labelSelector == null ? "" : labelSelector;
        this.fieldSelector = fieldSelector == null ? "" : fieldSelector;
        this.key = buildKey();
        this.hashCode = Objects.hash(this.cluster, this.resource, this.namespace, this.labelSelector, this.fieldSelector);
    }

    public String cluster() {
        return cluster;
    }

    public ApiResource resource() {
        return resource;
    }

    /** "" for all namespaces. */
    public String namespace() {
        return namespace;
    }

    public String labelSelector() {
        return labelSelector;
    }

    public String fieldSelector() {
        return fieldSelector;
    }

    /** Adds this watch's selectors to a list or watch request's query, so lists and watches select alike. */
    void addSelectorsTo(Map<String, String> query) {
        if (!labelSelector.isEmpty()) {
            query.put("labelSelector", labelSelector);
        }
        if (!fieldSelector.isEmpty()) {
            query.put("fieldSelector", fieldSelector);
        }
    }

    /**
     * The identity of the cluster this watch streams from ({@link ClusterIdentity}): it rides on every
     * record and checkpoint, so a name that comes to point at another cluster is noticed. Null when
     * unknown (no permission to read kube-system).
     */
    public String clusterUid() {
        return clusterUid;
    }

    /** The same watch, of the cluster with this identity; equal to this one, as the watch is the same. */
    public WatchTarget withClusterUid(String uid) {
        return new WatchTarget(cluster, resource, namespace, labelSelector, fieldSelector, uid);
    }

    /**
     * A stable name for this watch: the checkpoint key and the kube2kafka.watch header. It leaves out
     * the API version on purpose, so moving a resource to a newer version keeps its resume point
     * (resourceVersions are shared by all versions of a resource).
     */
    public String key() {
        return key;
    }

    private String buildKey() {
        StringBuilder built = new StringBuilder(cluster).append('/').append(resource.groupName()).append('/').append(resource.plural());
        char separator = '?';
        for (String[] part : new String[][] {{"namespace", namespace}, {"labelSelector", labelSelector}, {"fieldSelector", fieldSelector}}) {
            if (!part[1].isEmpty()) {
                built.append(separator).append(part[0]).append('=').append(part[1]);
                separator = '&';
            }
        }
        return built.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WatchTarget that && cluster.equals(that.cluster) && resource.equals(that.resource)
                && namespace.equals(that.namespace) && labelSelector.equals(that.labelSelector) && fieldSelector.equals(that.fieldSelector);
    }

    @Override
    public int hashCode() {
        return hashCode;
    }

    @Override
    public String toString() {
        return key;
    }
}
