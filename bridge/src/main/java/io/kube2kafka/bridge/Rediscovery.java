package io.kube2kafka.bridge;

import io.kube2kafka.config.ClusterSettings;
import io.kube2kafka.config.TargetResolver;
import io.kube2kafka.config.WholeCluster;
import io.kube2kafka.watch.Discovery;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.WatchTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * For a cluster streamed with {@code resources = ["*"]}: runs discovery again every
 * watch.discovery-interval and tells the bridge which watches to start (a CRD installed) and which to
 * stop (a CRD removed). Runs on a thread of its own, one per such cluster; the watches keep one thread
 * each.
 *
 * <p>Watches are compared by key (cluster, group, resource), not version: a CRD whose preferred version
 * changes keeps its watch, as the key keeps its checkpoint. A resource whose group version failed
 * discovery this time (an aggregated API that is down) is unknown, not gone: its watch keeps running,
 * and only a group that answers without the resource stops one.
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
        WholeCluster.Resolution resolution = WholeCluster.resolve(new Discovery(feed.api()), cluster.exclude());
        String uid = running.values().stream().map(WatchTarget::clusterUid).filter(u -> u != null).findFirst().orElse(null);
        Map<String, WatchTarget> served = new LinkedHashMap<>();
        for (WatchTarget target : TargetResolver.targetsOf(cluster.cluster(), resolution.resources())) {
            served.put(target.key(), uid == null ? target : target.withClusterUid(uid));
        }
        Set<String> unanswered = resolution.served().failedGroups();
        List<WatchTarget> appeared = served.values().stream().filter(t -> !running.containsKey(t.key())).toList();
        List<WatchTarget> vanished = new ArrayList<>();
        for (WatchTarget target : running.values()) {
            if (!served.containsKey(target.key()) && !unanswered.contains(target.resource().group())) {
                vanished.add(target);
            }
        }
        if (!vanished.isEmpty()) {
            changes.stop(feed, vanished);
            vanished.forEach(target -> running.remove(target.key()));
        }
        if (!appeared.isEmpty()) {
            log.info("cluster {}: discovery found {} new resource(s): {}; starting their watches", feed.name(), appeared.size(),
                    appeared.stream().map(t -> t.resource().qualifiedName()).toList());
            changes.start(feed, appeared);
            appeared.forEach(target -> running.put(target.key(), target));
        }
    }
}
