package io.kube2kafka.cluster;

import io.kube2kafka.watch.ClusterConnection;

/**
 * A resolved connection together with what else the source said.
 *
 * @param namespace the kubeconfig context's namespace or the pod's own namespace; "" when neither says
 * @param source where the connection came from, for the startup log line, e.g.
 *     {@code kubeconfig /home/u/.kube/config, context "kind-dev"}
 */
public record ResolvedConnection(ClusterConnection connection, String namespace, String source) {
}
