package io.kube2kafka.bridge;

import io.kube2kafka.cluster.ClusterConfigException;
import io.kube2kafka.cluster.TlsFailure;
import io.kube2kafka.config.ClusterSettings;
import io.kube2kafka.config.ResolvedTargets;
import io.kube2kafka.config.TargetResolver;
import io.kube2kafka.watch.ApiClient;
import io.kube2kafka.watch.ApiException;
import io.kube2kafka.watch.Backoff;
import io.kube2kafka.watch.ClusterIdentity;
import io.kube2kafka.watch.Discovery;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.UnknownResourceException;
import io.kube2kafka.watch.WatchSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One cluster the bridge streams: its settings, its API client and where its entry is in the
 * configuration, and how its watches are found (discovery, then the cluster's identity), once or
 * patiently while its API server cannot be reached.
 *
 * @param entryPath "" for the only cluster, else where its entry is (clusters[1]), so an error names it
 */
record ClusterFeed(ClusterSettings settings, ApiClient api, String entryPath) {
    private static final Logger log = LoggerFactory.getLogger(ClusterFeed.class);

    String name() {
        return settings.cluster();
    }

    /**
     * Discovery, retried while the API server is unreachable or refuses the credentials (a rotated
     * token file or a fixed RBAC rule cures that without a restart). An unknown resource, or a
     * broken kubeconfig, is final. A name waiting for an API group that did not answer is not waited
     * for here: it comes back among the pending names, for {@code PendingResources} to retry.
     *
     * @param waiting where to say why the cluster is still waiting, or null
     */
    ResolvedTargets watchesPatiently(WatchSettings watch, Pauser pauser, Map<String, String> waiting) throws Exception {
        Backoff backoff = new Backoff(watch.backoffInitial(), watch.backoffMax());
        while (true) {
            try {
                return identifiedWatches();
            } catch (ClusterConfigException | UnknownResourceException e) {
                throw e;
            } catch (IOException | UncheckedIOException e) {
                Duration pause = e instanceof ApiException api && api.isAuthorizationFailure()
                        ? watch.authorizationBackoff() : backoff.nextDelay();
                reportUnreachable(e, "retrying in " + pause.toMillis() + " ms", waiting);
                pauser.pause(pause);
            }
        }
    }

    /** One discovery attempt; null when the API server could not be reached or refused the credentials (logged). */
    ResolvedTargets watchesOnce(Map<String, String> waiting) throws Exception {
        try {
            return identifiedWatches();
        } catch (ClusterConfigException | UnknownResourceException e) {
            throw e;
        } catch (IOException | UncheckedIOException e) {
            reportUnreachable(e, "it keeps retrying while the other clusters stream", waiting);
            return null;
        }
    }

    /**
     * Logs why discovery failed and records it where readiness reads it.
     *
     * @param waiting where to say why the cluster is still waiting, or null
     */
    private void reportUnreachable(Exception e, String next, Map<String, String> waiting) {
        String url = api.url();
        String problem = e instanceof ApiException api
                ? "discovery at " + url + " failed: " + e.getMessage()
                        + (api.isAuthorizationFailure() ? " (check the token or client certificate, and RBAC)" : "")
                : "cannot reach the API server at " + url + ": " + TlsFailure.describe(url, e).orElse(e.getMessage());
        log.error("cluster {}: {}; {}", name(), problem, next);
        if (waiting != null) {
            waiting.put(name(), "waiting for discovery: " + problem);
        }
    }

    /**
     * The cluster's watches, each carrying the cluster's identity, read once per start, so every record
     * and checkpoint says which cluster it came from, and a checkpoint of another cluster is not resumed.
     */
    ResolvedTargets identifiedWatches() throws Exception {
        ResolvedTargets targets = TargetResolver.resolveWhatAnswers(settings, new Discovery(api), entryPath);
        Optional<String> uid = ClusterIdentity.fetch(api, name());
        return uid.isEmpty() ? targets : targets.map(target -> target.withClusterUid(uid.get()));
    }
}
