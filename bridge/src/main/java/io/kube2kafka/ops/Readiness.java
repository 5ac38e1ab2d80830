package io.kube2kafka.ops;

import io.kube2kafka.publish.PublisherStats;
import io.kube2kafka.watch.WatchStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether the bridge is doing its job right now: every cluster is streaming, every watch is open
 * (WATCHING) and the last Kafka transaction succeeded. The reasons name each watch that is not ready and why, and the publisher's
 * last error, so an operator reading {@code /readyz} knows where to look.
 *
 * @param reasons empty when ready
 */
public record Readiness(List<String> reasons) {

    public static Readiness of(List<WatchStatus> watches, PublisherStats publisher, Throwable fatal) {
        return of(watches, Map.of(), publisher, fatal);
    }

    /** @param waitingClusters clusters whose watches have not started yet, each with why (Bridge#waitingClusters) */
    public static Readiness of(List<WatchStatus> watches, Map<String, String> waitingClusters, PublisherStats publisher, Throwable fatal) {
        List<String> reasons = new ArrayList<>();
        if (fatal != null) {
            reasons.add("bridge: stopped after a fatal error: " + fatal.getMessage());
        }
        waitingClusters.forEach((cluster, why) -> reasons.add("cluster " + cluster + ": " + why));
        for (WatchStatus watch : watches) {
            if (watch.state() != WatchStatus.State.WATCHING) {
                reasons.add("watch " + watch.target().key() + ": " + watch.describe());
            }
        }
        if (!publisher.healthy()) {
            reasons.add("publisher: the last Kafka transaction failed: " + publisher.lastError());
        }
        return new Readiness(List.copyOf(reasons));
    }

    public boolean ready() {
        return reasons.isEmpty();
    }

    /** The body of /readyz: "ready", or one line per reason. */
    public String describe() {
        return ready() ? "ready\n" : "not ready\n" + String.join("\n", reasons) + "\n";
    }
}
