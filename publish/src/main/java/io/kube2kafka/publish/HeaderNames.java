package io.kube2kafka.publish;

/** Header names of the records, as the contract spells them. */
public final class HeaderNames {
    private HeaderNames() {
    }

    public static final String TYPE = "k8s.type";
    public static final String CLUSTER = "k8s.cluster";
    /** The uid of the cluster's kube-system namespace: which cluster it is, whatever it is named. Absent when unknown. */
    public static final String CLUSTER_UID = "k8s.cluster.uid";
    public static final String RESOURCE = "k8s.resource";
    public static final String NAMESPACE = "k8s.namespace";
    public static final String NAME = "k8s.name";
    public static final String UID = "k8s.uid";
    public static final String RESOURCE_VERSION = "k8s.resourceVersion";
    /**
     * Who last wrote the object, from its newest metadata.managedFields entry: the field manager (a
     * client's name, not a user), its operation (Apply or Update) and the entry's time. Read before any
     * transform, so they survive output.drop-managed-fields; absent when the object has no managedFields.
     * A DELETED record names the last writer before the deletion: Kubernetes does not record who deleted.
     */
    public static final String MANAGER = "k8s.manager";
    public static final String OPERATION = "k8s.operation";
    public static final String CHANGED_AT = "k8s.changed-at";
    public static final String ORIGIN = "kube2kafka.origin";
    /** Which watch wrote the record, so a relist compares only with that watch's objects. */
    public static final String WATCH = "kube2kafka.watch";
    /**
     * Why a record is not what its type alone says: {@code left-selection} on a DELETED whose object
     * still exists but stopped matching the watch's selectors; {@code still-selected} on the state
     * written after it for another watch of the topic that selects the object. Absent otherwise.
     */
    public static final String REASON = "kube2kafka.reason";
    /** Set on a marker record that stands in for an event too large for Kafka: the event's size in bytes. */
    public static final String OVERSIZED = "kube2kafka.oversized";
}
