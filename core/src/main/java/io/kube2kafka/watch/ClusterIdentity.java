package io.kube2kafka.watch;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;

/**
 * Which cluster an API server belongs to: the uid of its kube-system namespace. Every cluster creates
 * that namespace once and never deletes it, so its uid survives upgrades and restores from backup and
 * changes only when the cluster is rebuilt; many tools use it as the cluster id for that reason. Reading it needs one RBAC rule: get on
 * namespaces/kube-system.
 */
public final class ClusterIdentity {
    private static final Logger log = LoggerFactory.getLogger(ClusterIdentity.class);
    static final String PATH = "/api/v1/namespaces/kube-system";

    private ClusterIdentity() {
    }

    /**
     * @param cluster the configured name, for the log
     * @return the uid, or empty when the server refuses or lacks kube-system: then records carry no
     *     k8s.cluster.uid header and a restart cannot tell that the name points at another cluster,
     *     which is logged once as a warning naming the missing permission
     * @throws IOException when the server cannot be reached, to be retried like discovery
     */
    public static Optional<String> fetch(ApiClient api, String cluster) throws IOException {
        JsonNode namespace;
        try {
            namespace = api.getJson(PATH);
        } catch (ApiException e) {
            if (e.isAuthorizationFailure() || e.code() == 404) {
                log.warn("cluster {}: cannot read the cluster's identity, the uid of the kube-system namespace ({}). Records carry no "
                        + "k8s.cluster.uid header, and a restart cannot notice that the name now points at another cluster. "
                        + "Grant get on namespaces/kube-system (deploy/rbac.yaml)", cluster, e.getMessage());
                return Optional.empty();
            }
            throw e;
        }
        String uid = namespace.path("metadata").path("uid").asText("");
        if (uid.isEmpty()) {
            log.warn("cluster {}: the kube-system namespace at {} has no metadata.uid; records carry no k8s.cluster.uid header", cluster, api.url());
            return Optional.empty();
        }
        log.info("cluster {}: identity (uid of kube-system) {}", cluster, uid);
        return Optional.of(uid);
    }
}
