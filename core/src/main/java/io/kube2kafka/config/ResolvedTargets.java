package io.kube2kafka.config;

import io.kube2kafka.watch.GroupDiscoveryFailedException;
import io.kube2kafka.watch.WatchTarget;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What a cluster's configured resources resolve to now: the watches of every name discovery could
 * resolve, and the names it could not yet because an API group they could be in did not answer (an
 * aggregated API whose backend is down). As in client-go, where discovery returns what it found
 * together with {@code ErrGroupDiscoveryFailed} ("returned if one or more API groups fail to load",
 * k8s.io/client-go/discovery/discovery_client.go) and callers go on with what resolved, the pending
 * names hold back only themselves.
 *
 * @param targets in configuration order
 * @param pending configured resource name to why it is not resolved yet, naming the failed group versions
 */
public record ResolvedTargets(List<WatchTarget> targets, Map<String, GroupDiscoveryFailedException> pending) {

    public ResolvedTargets {
        targets = List.copyOf(targets);
        pending = Collections.unmodifiableMap(new LinkedHashMap<>(pending));
    }

    public boolean complete() {
        return pending.isEmpty();
    }

    /**
     * Every watch, or the first pending name's failure: for callers that cannot start part of a cluster
     * (a command that checks the configuration once, say).
     */
    public List<WatchTarget> requireComplete() throws GroupDiscoveryFailedException {
        if (!pending.isEmpty()) {
            throw pending.values().iterator().next();
        }
        return targets;
    }

    /** The same, each watch changed (given the cluster's identity, say). */
    public ResolvedTargets map(UnaryOperator<WatchTarget> change) {
        return new ResolvedTargets(targets.stream().map(change).toList(), pending);
    }

    /** The watches not among these keys: what is new since they started. */
    public List<WatchTarget> notIn(Set<String> keys) {
        List<WatchTarget> fresh = new ArrayList<>();
        for (WatchTarget target : targets) {
            if (!keys.contains(target.key())) {
                fresh.add(target);
            }
        }
        return fresh;
    }

    /** One line for logs and readiness: each pending name and why. */
    public String describePending() {
        return String.join("; ", pending.values().stream().map(Throwable::getMessage).toList());
    }
}
