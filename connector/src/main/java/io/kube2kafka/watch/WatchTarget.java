package io.kube2kafka.watch;

/**
 * One list-then-watch: a resource in one cluster, optionally narrowed to a namespace and selectors.
 * The API server watches one namespace or all, so a resource configured with several namespaces
 * becomes several targets.
 *
 * @param namespace "" for all namespaces (and for cluster-scoped resources)
 */
public record WatchTarget(String cluster, ApiResource resource, String namespace, String labelSelector, String fieldSelector) {

    public WatchTarget {
        namespace = namespace == null ? "" : namespace;
        labelSelector = labelSelector == null ? "" : labelSelector;
        fieldSelector = fieldSelector == null ? "" : fieldSelector;
    }

    /**
     * A stable name for this watch: the checkpoint key and the kube2kafka.watch header. It leaves out
     * the API version on purpose, so moving a resource to a newer version keeps its resume point
     * (resourceVersions are shared by all versions of a resource).
     */
    public String key() {
        StringBuilder key = new StringBuilder(cluster).append('/').append(resource.groupName()).append('/').append(resource.plural());
        char separator = '?';
        for (String[] part : new String[][] {{"namespace", namespace}, {"labelSelector", labelSelector}, {"fieldSelector", fieldSelector}}) {
            if (!part[1].isEmpty()) {
                key.append(separator).append(part[0]).append('=').append(part[1]);
                separator = '&';
            }
        }
        return key.toString();
    }

    @Override
    public String toString() {
        return key();
    }
}
