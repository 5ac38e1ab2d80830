package io.kube2kafka.watch;

/**
 * A resource the API server serves, as discovery describes it.
 *
 * @param group "" for the core group
 * @param kind the kind of one object; list items arrive without it, so the bridge fills it in
 */
public record ApiResource(String group, String version, String plural, String kind, boolean namespaced) {

    /** "v1" for the core group, else "group/version": the value objects carry in apiVersion. */
    public String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** "core" for the core group, as topic names and checkpoint keys spell it. */
    public String groupName() {
        return group.isEmpty() ? "core" : group;
    }

    /** "core/v1/pods", "apps/v1/deployments": the value of the k8s.resource header. */
    public String qualifiedName() {
        return groupName() + "/" + version + "/" + plural;
    }

    /** The collection path, across all namespaces when namespace is empty. */
    public String collectionPath(String namespace) {
        StringBuilder path = new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
        if (namespaced && !namespace.isEmpty()) {
            path.append("/namespaces/").append(namespace);
        }
        return path.append('/').append(plural).toString();
    }
}
