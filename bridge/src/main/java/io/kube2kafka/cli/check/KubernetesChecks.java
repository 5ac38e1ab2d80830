package io.kube2kafka.cli.check;

import io.kube2kafka.cluster.ApiClients;
import io.kube2kafka.cluster.ClusterConfigException;
import io.kube2kafka.config.ClusterSettings;
import io.kube2kafka.config.ResourceSpec;
import io.kube2kafka.config.TargetResolver;
import io.kube2kafka.config.WholeCluster;
import io.kube2kafka.watch.ApiClient;
import io.kube2kafka.watch.ApiException;
import io.kube2kafka.watch.ApiResource;
import io.kube2kafka.watch.Discovery;
import io.kube2kafka.watch.GroupDiscoveryFailedException;
import io.kube2kafka.watch.UnknownResourceException;
import io.kube2kafka.watch.WatchSettings;
import io.kube2kafka.watch.WatchTarget;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Kubernetes half of {@code check} for one cluster: the connection can be set up, the API server
 * answers, every configured resource is served (or, for {@code "*"}, what it resolves to), and the
 * bridge may list and watch it ({@link ListWatchPermissions}). Reads only.
 */
public final class KubernetesChecks {
    /** The advice for an API group version whose discovery fails: an aggregated API whose backend does not answer. */
    private static final String APISERVICE_FIX =
            "check the APIService that serves it (kubectl get apiservices) or the extension API server behind it";
    private final WatchSettings watch;
    private final Consumer<CheckLine> report;

    /** @param report receives each line as soon as its item is checked */
    public KubernetesChecks(WatchSettings watch, Consumer<CheckLine> report) {
        this.watch = watch;
        this.report = report;
    }

    /**
     * @param keyPrefix "clusters[1]." before keys in fixes while checking one of several clusters, else empty
     * @return the watches the cluster's resources resolve to, for the topic checks
     */
    public List<WatchTarget> check(ClusterSettings cluster, String keyPrefix) {
        List<WatchTarget> targets = new ArrayList<>();
        ApiClient api;
        try {
            api = ApiClients.forCluster(cluster.kubernetes(), watch);
        } catch (ClusterConfigException e) {
            report.accept(CheckLine.configurationFail("kubernetes connection", e.getMessage(),
                    "fix " + keyPrefix + "kubernetes.kubeconfig / " + keyPrefix + "kubernetes.context or set " + keyPrefix + "kubernetes.url"));
            return targets;
        } catch (Exception e) {
            report.accept(CheckLine.configurationFail("kubernetes connection", e.getMessage(),
                    "check the CA, client certificate and key files the configuration names"));
            return targets;
        }
        try {
            String version = api.getJson("/version").path("gitVersion").asText("?");
            report.accept(CheckLine.ok("api server " + api.url(), "reachable, Kubernetes " + version));
        } catch (ApiException e) {
            report.accept(CheckLine.fail("api server " + api.url(), e.getMessage(), e.code() == 401
                    ? "the credentials were refused: fix kubernetes.token, kubernetes.token-file or the kubeconfig user"
                    : "check the credentials and that this is an API server"));
            return targets;
        } catch (IOException e) {
            report.accept(CheckLine.fail("api server " + api.url(), "cannot connect: " + e.getMessage(),
                    "check kubernetes.url (or the kubeconfig's server), the network and TLS settings"));
            return targets;
        }
        ListWatchPermissions permissions = ListWatchPermissions.on(api, report);
        Discovery discovery = new Discovery(api);
        for (ResourceSpec spec : cluster.resources()) {
            if (spec.everyResource()) {
                targets.addAll(checkEveryResource(cluster, discovery, permissions));
                continue;
            }
            ApiResource resource;
            try {
                resource = discovery.resolve(spec.resource());
            } catch (UnknownResourceException e) {
                report.accept(CheckLine.configurationFail("resource " + spec.resource(), e.getMessage(),
                        "fix " + keyPrefix + "resources[].resource, or install the CRD that serves it"));
                continue;
            } catch (GroupDiscoveryFailedException e) {
                // Not the API server: one extension API server behind it. The bridge streams the rest meanwhile.
                report.accept(CheckLine.fail("resource " + spec.resource(), e.getMessage(), APISERVICE_FIX));
                continue;
            } catch (IOException e) {
                report.accept(CheckLine.fail("resource " + spec.resource(), "discovery failed: " + e.getMessage(),
                        "check that the API server is healthy and retry"));
                continue;
            }
            report.accept(CheckLine.ok("resource " + spec.resource(),
                    "served as " + resource.qualifiedName() + (resource.namespaced() ? " (namespaced)" : " (cluster-scoped)")));
            List<String> namespaces = spec.namespaces().isEmpty() || !resource.namespaced() ? List.of("") : spec.namespaces();
            for (String namespace : namespaces) {
                WatchTarget target = new WatchTarget(cluster.cluster(), resource, namespace, spec.labelSelector(), spec.fieldSelector());
                targets.add(target);
                permissions.check(target);
            }
        }
        return targets;
    }

    /**
     * resources = ["*"]: one line naming what it resolves to now, a failed line per group version whose
     * discovery failed (its resources would be skipped), then list and watch permission for each resource.
     */
    private List<WatchTarget> checkEveryResource(ClusterSettings cluster, Discovery discovery, ListWatchPermissions permissions) {
        WholeCluster.Resolution resolution;
        try {
            resolution = WholeCluster.resolve(discovery, cluster.exclude());
        } catch (IOException e) {
            report.accept(CheckLine.fail("resources \"*\"", "discovery failed: " + e.getMessage(), "check that the API server is healthy and retry"));
            return List.of();
        }
        String unmatched = resolution.unmatchedExcludes().isEmpty() ? ""
                : "; exclude names " + resolution.unmatchedExcludes() + ", not served now";
        report.accept(CheckLine.ok("resources \"*\"", resolution.resources().size() + " resource(s), excluding " + cluster.exclude()
                + unmatched + ": " + String.join(", ", resolution.resources().stream().map(ApiResource::qualifiedName).toList())));
        resolution.served().failedGroupVersions().forEach((groupVersion, e) -> report.accept(CheckLine.fail("discovery of " + groupVersion,
                e.getMessage() + "; its resources are not streamed until it answers", APISERVICE_FIX)));
        List<WatchTarget> targets = TargetResolver.targetsOf(cluster.cluster(), resolution.resources());
        targets.forEach(permissions::check);
        return targets;
    }
}
