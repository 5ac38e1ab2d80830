package io.kube2kafka.watch;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What discovery found the server serving at one moment: every resource the bridge can stream, and the
 * group versions whose discovery failed (an aggregated API whose backend is down).
 *
 * @param resources in discovery order: the core group first, then the groups as /apis lists them
 * @param failedGroupVersions "metrics.k8s.io/v1beta1" to why its discovery failed; their resources are
 *     unknown, not gone
 */
public record ServedResources(List<ApiResource> resources, Map<String, IOException> failedGroupVersions) {

    public ServedResources {
        resources = List.copyOf(resources);
        failedGroupVersions = Map.copyOf(failedGroupVersions);
    }

    /** The groups with a group version that did not answer; "" is the core group. */
    public Set<String> failedGroups() {
        return failedGroupVersions.keySet().stream()
                .map(groupVersion -> groupVersion.contains("/") ? groupVersion.substring(0, groupVersion.indexOf('/')) : "")
                .collect(Collectors.toUnmodifiableSet());
    }
}
