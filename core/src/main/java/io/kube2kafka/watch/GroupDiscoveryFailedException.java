package io.kube2kafka.watch;

import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A configured resource could not be resolved because an API group version did not answer discovery,
 * typically an aggregated API whose backend is down (a 503 for {@code /apis/metrics.k8s.io/v1beta1}).
 * Not a configuration error: the resource may well be there once the group answers, so discovery is
 * retried. client-go reports the same situation as a partial failure, {@code ErrGroupDiscoveryFailed}
 * (discovery/discovery_client.go), and resolves what the other groups serve.
 */
public final class GroupDiscoveryFailedException extends IOException {
    private final Map<String, IOException> failedGroups;

    /** @param failedGroups group version ("metrics.k8s.io/v1beta1") to why its discovery failed */
    public GroupDiscoveryFailedException(String resource, Map<String, IOException> failedGroups) {
        super("resource \"" + resource + "\" is not resolved yet: discovery of " + failedGroups.entrySet().stream()
                .map(e -> e.getKey() + " failed (" + e.getValue().getMessage() + ")").collect(Collectors.joining(", "))
                + "; retrying, while the other API groups resolve as usual");
        this.failedGroups = Map.copyOf(failedGroups);
        failedGroups.values().forEach(this::addSuppressed);
    }

    /** The group versions that did not answer, e.g. {@code metrics.k8s.io/v1beta1}. */
    public Map<String, IOException> failedGroups() {
        return failedGroups;
    }
}
