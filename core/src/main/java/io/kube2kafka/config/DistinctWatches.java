package io.kube2kafka.config;

import io.kube2kafka.config.ConfigKeys;
import io.kube2kafka.config.ConfigurationException;
import io.kube2kafka.watch.WatchTarget;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Refuses configuration entries that resolve to the same watch: {@code pods} and {@code po},
 * {@code pods} and {@code pods.v1.}, a namespace listed twice, one resource twice with the same
 * selectors. Two such watches would share a checkpoint key and write every event twice; it is a
 * mistake to point out, not to run with. Watches that merely overlap (all pods, and pods with
 * {@code app=web}) are fine: they are different watches.
 */
final class DistinctWatches {
    private final String entryPrefix;
    /** A watch's identity to the entry that asked for it first, e.g. {@code resources[0] (pods)}. */
    private final Map<String, String> seen = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    /** @param entryPath "" for the only cluster, else where its entry is, e.g. clusters[1] */
    DistinctWatches(String entryPath) {
        this.entryPrefix = entryPath.isEmpty() ? "" : entryPath + ".";
    }

    /**
     * @param index the entry's position in resources
     * @param name the resource as the entry spells it
     */
    void add(WatchTarget target, int index, String name) {
        String entry = entryPrefix + ConfigKeys.RESOURCES_CONFIG + "[" + index + "] (" + name + ")";
        String first = seen.putIfAbsent(identity(target), entry);
        if (first == null) {
            return;
        }
        String what = target.resource().groupName() + "/" + target.resource().plural()
                + (target.namespace().isEmpty() ? (target.resource().namespaced() ? " in all namespaces" : "") : " in namespace " + target.namespace())
                + (target.labelSelector().isEmpty() ? "" : " with label-selector \"" + target.labelSelector() + "\"")
                + (target.fieldSelector().isEmpty() ? "" : " with field-selector \"" + target.fieldSelector() + "\"");
        problems.add(first.equals(entry)
                ? entry + " lists namespace " + target.namespace() + " twice; list it once"
                : entry + " and " + first + " are the same watch (" + what + "); remove one of them");
    }

    /** @throws ConfigurationException naming both entries of every clash */
    void check() throws ConfigurationException {
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }

    /** The version is left out: every version of a resource serves the same objects (and WatchTarget.key() does the same). */
    private static String identity(WatchTarget target) {
        return target.cluster() + "\n" + target.resource().group() + "/" + target.resource().plural() + "\n" + target.namespace()
                + "\n" + normalized(target.labelSelector()) + "\n" + normalized(target.fieldSelector());
    }

    /** Terms are ANDed, so their order does not matter: "a=1,b=2" and "b=2, a=1" select the same. */
    private static String normalized(String selector) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        StringBuilder term = new StringBuilder();
        for (char c : selector.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                terms.add(term.toString());
                term.setLength(0);
            } else if (!Character.isWhitespace(c) || depth > 0) {
                term.append(c);
            }
        }
        terms.add(term.toString());
        terms.removeIf(String::isEmpty);
        terms.sort(null);
        return String.join(",", terms);
    }
}
