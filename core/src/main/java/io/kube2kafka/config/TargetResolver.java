package io.kube2kafka.config;

import io.kube2kafka.watch.ApiResource;
import io.kube2kafka.watch.Discovery;
import io.kube2kafka.watch.GroupDiscoveryFailedException;
import io.kube2kafka.watch.WatchTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        return resolve(cluster, discovery, "");
    }

    /**
     * Every watch, or none: a name that waits for an API group that did not answer fails the whole call.
     *
     * @param entryPath "" for the only cluster, else where its entry is (clusters[1]), so an error names the entry
     * @throws ConfigurationException when two entries (or one entry's namespaces) resolve to the same watch, naming both
     * @throws GroupDiscoveryFailedException when a name could be in a group that did not answer
     */
    public static List<WatchTarget> resolve(ClusterSettings cluster, Discovery discovery, String entryPath) throws Exception {
        return resolveWhatAnswers(cluster, discovery, entryPath).requireComplete();
    }

    /**
     * The watches of every name that resolves now, and the names that wait for an API group that did
     * not answer discovery: the runtimes start the first and retry the second (see {@link PendingResources}).
     * A name no answering group serves, and no failed group could, is still an {@code UnknownResourceException}.
     *
     * @param entryPath "" for the only cluster, else where its entry is (clusters[1]), so an error names the entry
     * @throws ConfigurationException when two resolved entries (or one entry's namespaces) are the same watch, naming both
     */
    public static ResolvedTargets resolveWhatAnswers(ClusterSettings cluster, Discovery discovery, String entryPath) throws Exception {
        List<WatchTarget> targets = new ArrayList<>();
        Map<String, GroupDiscoveryFailedException> pending = new LinkedHashMap<>();
        DistinctWatches distinct = new DistinctWatches(entryPath);
        if (cluster.everyResource()) {
            // Discovery of "*" already skips a group that does not answer and follows it while it runs (ServedResources).
            return new ResolvedTargets(everyResource(cluster, discovery), Map.of());
        }
        for (int index = 0; index < cluster.resources().size(); index++) {
            ResourceSpec spec = cluster.resources().get(index);
            int first = targets.size();
            ApiResource resource;
            try {
                resource = discovery.resolve(spec.resource());
            } catch (GroupDiscoveryFailedException e) {
                pending.put(spec.resource(), e);
                continue;
            }
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
            for (WatchTarget target : targets.subList(first, targets.size())) {
                distinct.add(target, index, spec.resource());
            }
        }
        distinct.check();
        return new ResolvedTargets(targets, pending);
    }

    /** resources = ["*"]: one watch per resource discovery serves, across all namespaces, minus exclude. */
    private static List<WatchTarget> everyResource(ClusterSettings cluster, Discovery discovery) throws Exception {
        WholeCluster.Resolution resolution = WholeCluster.resolve(discovery, cluster.exclude());
        if (!resolution.unmatchedExcludes().isEmpty()) {
            log.warn("cluster {}: exclude names {}, which the API server does not serve now; excluded if they appear later",
                    cluster.cluster(), resolution.unmatchedExcludes());
        }
        List<WatchTarget> targets = targetsOf(cluster.cluster(), resolution.resources());
        log.info("cluster {}: \"*\" resolves to {} resource(s) (excluding {}): {}", cluster.cluster(), targets.size(), cluster.exclude(),
                resolution.resources().stream().map(ApiResource::qualifiedName).toList());
        return targets;
    }

    /** Whole-resource watches (all namespaces, no selectors) of these resources. */
    public static List<WatchTarget> targetsOf(String cluster, List<ApiResource> resources) {
        return resources.stream().map(resource -> new WatchTarget(cluster, resource, "", "", "")).toList();
    }
}
