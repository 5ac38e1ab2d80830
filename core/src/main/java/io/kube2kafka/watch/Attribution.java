package io.kube2kafka.watch;

/**
 * Who last wrote an object, as the object itself says: the newest entry of its
 * {@code metadata.managedFields}, which the API server's field manager keeps per field manager.
 *
 * <p>A field manager is the name a client writes under (kubectl's "kubectl-client-side-apply" or
 * "kubectl-edit", "kube-controller-manager", "kubelet", an operator's name), never the user who ran
 * it; the API server's audit log is the place for users. A DELETED event carries the object's last
 * state, so its attribution names the last writer before the deletion, not who deleted it:
 * Kubernetes records no managedFields entry for a delete.
 *
 * @param manager the entry's manager; null when it names none
 * @param operation {@code Apply} (server-side apply) or {@code Update} (create, update, patch); null when absent
 * @param changedAt the entry's time as the server wrote it (RFC 3339, UTC, whole seconds); null when absent
 */
public record Attribution(String manager, String operation, String changedAt) {
}
