package io.kube2kafka.config;

import io.kube2kafka.watch.ApiResource;
import io.kube2kafka.watch.Discovery;
import io.kube2kafka.watch.GroupDiscoveryFailedException;
import io.kube2kafka.watch.ServedResources;
import io.kube2kafka.watch.UnknownResourceException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code resources = ["*"]} means at one moment: every resource discovery lists with the list and
 * watch verbs ({@link Discovery#watchableResources()}), minus the resources {@code exclude} names.
 *
 * <p>An exclude entry is matched by group and plural, whatever the version, so "deployments.v1.apps"
 * still excludes deployments served at another version. One that names nothing the server serves is
 * not an error: a CRD may be installed later, and it is excluded from the moment it appears. The
 * caller decides how loudly to say so (once at start, not at every re-discovery).
 */
public final class WholeCluster {

    /**
     * @param resources what the bridge streams, in discovery order
     * @param unmatchedExcludes exclude entries that name no resource the server serves now
     * @param served everything discovery found, including which groups did not answer
     */
    public record Resolution(List<ApiResource> resources, List<String> unmatchedExcludes, ServedResources served) {
    }

    private WholeCluster() {
    }

    /** @throws IOException when the group lists (/api, /apis) cannot be read */
    public static Resolution resolve(Discovery discovery, List<String> exclude) throws IOException {
        ServedResources served = discovery.watchableResources();
        Set<String> excluded = new HashSet<>();
        List<String> unmatched = new ArrayList<>();
        for (String name : exclude) {
            try {
                excluded.add(groupResource(discovery.identify(name)));
            } catch (UnknownResourceException | GroupDiscoveryFailedException e) {
                // Not served now (or in a group that did not answer, whose resources are skipped anyway).
                unmatched.add(name);
            }
        }
        List<ApiResource> resources = served.resources().stream().filter(r -> !excluded.contains(groupResource(r))).toList();
        return new Resolution(resources, unmatched, served);
    }

    /** "apps/deployments", "/pods": one resource, whatever its version. */
    private static String groupResource(ApiResource resource) {
        return resource.group() + "/" + resource.plural();
    }
}
