package io.kube2kafka.config;

import io.kube2kafka.watch.Backoff;
import io.kube2kafka.watch.Interrupts;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.UnknownResourceException;
import io.kube2kafka.watch.WatchTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Retries, with backoff, the configured resources of a cluster that wait for an API group that did not
 * answer discovery (an aggregated API whose backend is down), while the cluster's other watches stream.
 * When a name resolves, the runtime is told to start its watches; when none is left, it stops. The
 * standalone bridge and the Connect connector share it, each saying through {@link Changes} how a watch
 * starts there. Runs on a thread of its own; interrupting it ends it.
 */
public final class PendingResources implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(PendingResources.class);

    /** Resolves the cluster's configured resources again, with a fresh discovery. */
    public interface Resolver {
        ResolvedTargets resolve() throws Exception;
    }

    /** What the runtime does as names resolve. */
    public interface Changes {
        /** Starts these watches (topics first), each listing first; throwing stops the retries, as {@link #failed}. */
        void start(List<WatchTarget> appeared) throws Exception;

        /** Where readiness reads it: the names still waiting and why; an empty map once every name resolved. */
        void pending(ResolvedTargets now);

        /** A configuration error found once the group answered (the name is not served after all), or a start that failed. */
        void failed(Exception e);
    }

    private final String cluster;
    private final Resolver resolver;
    private final Changes changes;
    private final Backoff backoff;
    private final Pauser pauser;
    private final Set<String> started = new HashSet<>();
    private ResolvedTargets last;

    /** @param first what the start resolved: its watches run already, its pending names are retried here */
    public PendingResources(String cluster, ResolvedTargets first, Resolver resolver, Changes changes,
                            Duration backoffInitial, Duration backoffMax, Pauser pauser) {
        this.cluster = cluster;
        this.resolver = resolver;
        this.changes = changes;
        this.backoff = new Backoff(backoffInitial, backoffMax);
        this.pauser = pauser;
        this.last = first;
        first.targets().forEach(target -> started.add(target.key()));
    }

    @Override
    public void run() {
        while (!last.complete()) {
            Duration pause = backoff.nextDelay();
            log.warn("cluster {}: {} (next attempt in {} ms; its {} other watch(es) stream meanwhile)", cluster, last.describePending(),
                    pause.toMillis(), started.size());
            changes.pending(last);
            try {
                pauser.pause(pause);
                once();
            } catch (InterruptedException e) {
                return; // the runtime is stopping
            } catch (UnknownResourceException | ConfigurationException e) {
                log.error("cluster {}: {}", cluster, e.getMessage());
                changes.failed(e);
                return;
            } catch (IOException | UncheckedIOException e) {
                if (Interrupts.endedByInterrupt(e)) {
                    return;
                }
                // The API server itself did not answer: the running watches retry on their own, and so does this.
                log.warn("cluster {}: discovery for {} failed: {}", cluster, last.pending().keySet(), e.getMessage());
            } catch (Exception e) {
                log.error("cluster {}: cannot start the watches of {}: {}", cluster, last.pending().keySet(), e.getMessage(), e);
                changes.failed(e);
                return;
            }
        }
        changes.pending(last);
    }

    /** One attempt: discovery again, and the watches of the names that resolved started. */
    void once() throws Exception {
        ResolvedTargets now = resolver.resolve();
        List<WatchTarget> appeared = now.notIn(started);
        if (!appeared.isEmpty()) {
            log.info("cluster {}: {} resolved now that its API group answers; starting {}", cluster,
                    last.pending().keySet().stream().filter(name -> !now.pending().containsKey(name)).toList(),
                    appeared.stream().map(WatchTarget::key).toList());
            changes.start(appeared);
            appeared.forEach(target -> started.add(target.key()));
        }
        last = now;
    }
}
