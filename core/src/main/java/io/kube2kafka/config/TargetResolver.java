package io.kube2kafka.config;

import io.kube2kafka.watch.ApiResource;
import io.kube2kafka.watch.Discovery;
import io.kube2kafka.watch.WatchTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a cluster's configured resources into its watches, through discovery: one watch per resource
 * and namespace, in configuration order. The standalone bridge and the Connect connector both call it,
 * so the two runtimes watch exactly the same things for the same settings.
 */
public final class TargetResolver {
    private static final Logger log = LoggerFactory.getLogger(TargetResolver.class);

    private TargetResolver() {
    }

    /** The watches of the only cluster, one per resource and namespace, in configuration order. */
    public static List<WatchTarget> resolve(BridgeSettings settings, Discovery discovery) throws Exception {
        return resolve(settings.onlyCluster(), discovery);
    }

    /** The watches of one cluster, one per resource and namespace, in configuration order. */
    public static List<WatchTarget> resolve(ClusterSettings cluster, Discovery discovery) throws Exception {
        List<WatchTarget> targets = new ArrayList<>();
        for (ResourceSpec spec : cluster.resources()) {
            ApiResource resource = discovery.resolve(spec.resource());
            if (spec.namespaces().isEmpty() || !resource.namespaced()) {
                if (!spec.namespaces().isEmpty()) {
                    log.warn("{} is cluster-scoped; its namespaces {} are ignored", spec.resource(), spec.namespaces());
                }
                targets.add(new WatchTarget(cluster.cluster(), resource, "", spec.labelSelector(), spec.fieldSelector()));
            } else {
                for (String namespace : spec.namespaces()) {
                    targets.add(new WatchTarget(cluster.cluster(), resource, namespace, spec.labelSelector(), spec.fieldSelector()));
                }
            }
        }
        return targets;
    }
}
