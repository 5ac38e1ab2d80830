package io.kube2kafka.bridge;

import io.kube2kafka.config.ClusterSettings;
import io.kube2kafka.config.DiscoveryDiff;
import io.kube2kafka.config.WholeCluster;
import io.kube2kafka.watch.Discovery;
import io.kube2kafka.watch.Interrupts;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.WatchTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For a cluster streamed with {@code resources = ["*"]}: runs discovery again every
 * watch.discovery-interval and tells the bridge which watches to start (a CRD installed) and which to
 * stop (a CRD removed). Runs on a thread of its own, one per such cluster; the watches keep one thread
 * each.
 * What counts as a change is {@link DiscoveryDiff}'s, shared with the Connect connector.
 */
final class Rediscovery implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Rediscovery.class);

    /** What the bridge does with the differences. */
    interface Changes {
        /** Creates the topics of these new watches and starts them, each listing first. */
        void start(ClusterFeed feed, List<WatchTarget> appeared) throws Exception;

        /** Stops these watches; their checkpoints stay. */
        void stop(ClusterFeed feed, List<WatchTarget> vanished) throws InterruptedException;
    }

    private final ClusterFeed feed;
    private final Duration interval;
    private final Pauser pauser;
    private final Changes changes;
    /** The watches running now, by key; only this thread changes it. */
    private final Map<String, WatchTarget> running = new LinkedHashMap<>();

    Rediscovery(ClusterFeed feed, List<WatchTarget> started, Duration interval, Pauser pauser, Changes changes) {
        this.feed = feed;
        this.interval = interval;
        this.pauser = pauser;
        this.changes = changes;
        started.forEach(target -> running.put(target.key(), target));
    }

    @Override
    public void run() {
        while (true) {
            try {
                pauser.pause(interval);
                once();
            } catch (InterruptedException e) {
                return; // the bridge is closing
            } catch (IOException | UncheckedIOException e) {
                if (Interrupts.endedByInterrupt(e)) {
                    return; // close() interrupted a discovery request
                }
                // The API server cannot be reached: the watches retry on their own; discovery tries at the next interval.
                log.warn("cluster {}: discovery failed ({}); the watches keep running, trying again in {} s", feed.name(), e.getMessage(),
                        interval.toSeconds());
            } catch (Exception e) {
                // A topic the broker refuses for a new resource, say: the running watches are not disturbed, and the next
                // round tries the new resource again.
                log.error("cluster {}: following discovery failed; trying again in {} s", feed.name(), interval.toSeconds(), e);
            }
        }
    }

    /** One round: discovery, then the watches started and stopped that make the difference. */
    void once() throws Exception {
        ClusterSettings cluster = feed.settings();
        DiscoveryDiff diff = DiscoveryDiff.between(running.values(), cluster.cluster(),
                WholeCluster.resolve(new Discovery(feed.api()), cluster.exclude()));
        if (!diff.vanished().isEmpty()) {
            changes.stop(feed, diff.vanished());
            diff.vanished().forEach(target -> running.remove(target.key()));
        }
        if (!diff.appeared().isEmpty()) {
            log.info("cluster {}: discovery found {} new resource(s): {}; starting their watches", feed.name(), diff.appeared().size(),
                    diff.appeared().stream().map(t -> t.resource().qualifiedName()).toList());
            changes.start(feed, diff.appeared());
            diff.appeared().forEach(target -> running.put(target.key(), target));
        }
    }
}
