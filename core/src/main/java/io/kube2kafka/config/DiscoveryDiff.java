package io.kube2kafka.config;

import io.kube2kafka.watch.WatchTarget;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the watches of a cluster streamed with {@code resources = ["*"]} must change after discovery ran
 * again: the standalone bridge and the Connect connector both follow discovery with it.
 *
 * <p>Watches are compared by key (cluster, group, resource), not version: a CRD whose preferred version
 * changes keeps its watch, as the key keeps its checkpoint. A resource whose group version failed
 * discovery this time (an aggregated API that is down) is unknown, not gone: its watch keeps running;
 * only a group that answers without the resource makes it vanish.
 *
 * @param appeared watches to start, carrying the cluster identity of the running ones
 * @param vanished running watches to stop
 */
public record DiscoveryDiff(List<WatchTarget> appeared, List<WatchTarget> vanished) {

    public static DiscoveryDiff between(Collection<WatchTarget> running, String cluster, WholeCluster.Resolution resolution) {
        String uid = running.stream().map(WatchTarget::clusterUid).filter(u -> u != null).findFirst().orElse(null);
        Map<String, WatchTarget> served = new LinkedHashMap<>();
        for (WatchTarget target : TargetResolver.targetsOf(cluster, resolution.resources())) {
            served.put(target.key(), uid == null ? target : target.withClusterUid(uid));
        }
        Set<String> runningKeys = new java.util.HashSet<>();
        running.forEach(target -> runningKeys.add(target.key()));
        Set<String> unanswered = resolution.served().failedGroups();
        List<WatchTarget> appeared = served.values().stream().filter(t -> !runningKeys.contains(t.key())).toList();
        List<WatchTarget> vanished = new ArrayList<>();
        for (WatchTarget target : running) {
            if (!served.containsKey(target.key()) && !unanswered.contains(target.resource().group())) {
                vanished.add(target);
            }
        }
        return new DiscoveryDiff(appeared, vanished);
    }

    /** The watches after this change: {@code running} without the vanished ones, then the appeared ones. */
    public List<WatchTarget> applyTo(Collection<WatchTarget> running) {
        Set<String> gone = keysOf(vanished);
        List<WatchTarget> next = new ArrayList<>(running.stream().filter(target -> !gone.contains(target.key())).toList());
        next.addAll(appeared);
        return List.copyOf(next);
    }

    /** A set of watch keys after this change: without the vanished watches' keys, with the appeared ones'. */
    public Set<String> applyToKeys(Collection<String> keys) {
        Set<String> next = new java.util.LinkedHashSet<>(keys);
        next.removeAll(keysOf(vanished));
        next.addAll(keysOf(appeared));
        return Set.copyOf(next);
    }

    private static Set<String> keysOf(List<WatchTarget> targets) {
        Set<String> keys = new java.util.HashSet<>();
        targets.forEach(target -> keys.add(target.key()));
        return keys;
    }

    public boolean isEmpty() {
        return appeared.isEmpty() && vanished.isEmpty();
    }
}
