package io.kube2kafka.publish;

import io.kube2kafka.watch.ListSummary;
import io.kube2kafka.watch.WatchBatch;
import io.kube2kafka.watch.WatchTarget;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the publisher has done, for readiness and metrics; safe to read from any thread. */
public final class PublisherStats {
    private final LongAdder transactions = new LongAdder();
    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final AtomicLong lastCommitNanos = new AtomicLong();
    private final Map<String, String> committedResourceVersions = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> recordsByWatch = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bytesByWatch = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failuresByCause = new ConcurrentHashMap<>();
    /** Per watch, committed lists by reason and method: what the notification topic received. */
    private final Map<String, Map<CompletedList, LongAdder>> listsByWatch = new ConcurrentHashMap<>();
    /** Per watch, the objects of committed lists by outcome (unchanged, changed, added, deleted). */
    private final Map<String, Map<String, LongAdder>> listObjectsByWatch = new ConcurrentHashMap<>();
    private final List<CommitListener> commitListeners = new CopyOnWriteArrayList<>();
    /** Commits before the first listener, replayed to it; bounded in case no listener ever comes. */
    private final List<long[]> earlyCommits = new java.util.ArrayList<>();
    private static final int MAX_EARLY_COMMITS = 10_000;
    /** Per watch, when each batch with events not yet committed was handed over, oldest first. */
    private final Map<String, java.util.ArrayDeque<Long>> uncommittedSince = new ConcurrentHashMap<>();
    private volatile long lastCommitEpochMillis;
    private volatile boolean healthy = true;
    private volatile String lastError;

    /** The labels of a completed list: its notification's reason and method. */
    public record CompletedList(String reason, String method) {
    }

    /** Told of every committed round, on the publisher's thread; must return quickly. */
    @FunctionalInterface
    public interface CommitListener {
        void committed(int events, long nanos);
    }

    /**
     * Adds a listener and first tells it of the commits made before any listener existed: the
     * metrics server starts after the bridge, whose first list is committed meanwhile, and a
     * histogram that missed those would disagree with the transaction counter.
     */
    public void addCommitListener(CommitListener listener) {
        synchronized (earlyCommits) {
            for (long[] commit : earlyCommits) {
                listener.committed((int) commit[0], commit[1]);
            }
            earlyCommits.clear();
            commitListeners.add(listener);
        }
    }

    /** A watcher handed a batch over; called before it may block on a full queue, so a paused watch's lag grows. */
    void accepted(WatchBatch batch) {
        if (!batch.events().isEmpty()) {
            java.util.ArrayDeque<Long> pending = uncommittedSince.computeIfAbsent(batch.target().key(), k -> new java.util.ArrayDeque<>());
            synchronized (pending) {
                pending.addLast(System.nanoTime());
            }
        }
    }

    void committed(java.util.List<WatchBatch> round, int events, long nanos) {
        lastCommitEpochMillis = System.currentTimeMillis();
        for (WatchBatch batch : round) {
            java.util.ArrayDeque<Long> pending = uncommittedSince.get(batch.target().key());
            if (pending != null && !batch.events().isEmpty()) {
                // A watch's batches are committed in the order they were handed over, so the oldest goes first.
                synchronized (pending) {
                    pending.pollFirst();
                }
            }
        }
        transactions.increment();
        records.add(events);
        for (WatchBatch batch : round) {
            bytes.add(batch.sizeInBytes());
            String watch = batch.target().key();
            recordsByWatch.computeIfAbsent(watch, k -> new LongAdder()).add(batch.events().size());
            bytesByWatch.computeIfAbsent(watch, k -> new LongAdder()).add(batch.sizeInBytes());
            if (batch.listSummary() != null) {
                listCommitted(watch, batch.listSummary());
            }
        }
        lastCommitNanos.set(nanos);
        healthy = true;
        lastError = null;
        synchronized (earlyCommits) {
            if (commitListeners.isEmpty() && earlyCommits.size() < MAX_EARLY_COMMITS) {
                earlyCommits.add(new long[] {events, nanos});
            }
            commitListeners.forEach(l -> l.committed(events, nanos));
        }
    }

    /** Counted when committed, like the notification it matches: a list whose round failed is not complete. */
    private void listCommitted(String watch, ListSummary summary) {
        listsByWatch.computeIfAbsent(watch, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(new CompletedList(summary.cause().label(), summary.method().label()), k -> new LongAdder()).increment();
        Map<String, LongAdder> objects = listObjectsByWatch.computeIfAbsent(watch, k -> new ConcurrentHashMap<>());
        objects.computeIfAbsent("unchanged", k -> new LongAdder()).add(summary.unchanged());
        objects.computeIfAbsent("changed", k -> new LongAdder()).add(summary.changed());
        objects.computeIfAbsent("added", k -> new LongAdder()).add(summary.added());
        objects.computeIfAbsent("deleted", k -> new LongAdder()).add(summary.deleted());
    }

    void failed(Exception e) {
        failures.increment();
        failuresByCause.computeIfAbsent(e.getClass().getSimpleName(), c -> new LongAdder()).increment();
        healthy = false;
        lastError = e.getMessage();
    }

    void checkpointed(WatchTarget target, String resourceVersion) {
        committedResourceVersions.put(target.key(), resourceVersion);
    }

    public boolean healthy() {
        return healthy;
    }

    public String lastError() {
        return lastError;
    }

    public long transactions() {
        return transactions.sum();
    }

    /** Events published (tombstones not counted). */
    public long events() {
        return records.sum();
    }

    public long failures() {
        return failures.sum();
    }

    /**
     * How long the oldest event of this watch that is read but not yet committed has waited: 0 when
     * everything read is committed, so a quiet, caught-up watch reads 0 and a stalled one grows.
     */
    public double lagSeconds(String watchKey) {
        java.util.ArrayDeque<Long> pending = uncommittedSince.get(watchKey);
        if (pending == null) {
            return 0;
        }
        Long oldest;
        synchronized (pending) {
            oldest = pending.peekFirst();
        }
        return oldest == null ? 0 : Math.max(0, System.nanoTime() - oldest) / 1e9;
    }

    /** Wall-clock time of the last successful commit (epoch milliseconds); 0 before the first. */
    public long lastCommitEpochMillis() {
        return lastCommitEpochMillis;
    }

    public long lastCommitNanos() {
        return lastCommitNanos.get();
    }

    /** Events of one watch (by {@link WatchTarget#key()}) in committed records; tombstones not counted. */
    public long events(String watchKey) {
        LongAdder count = recordsByWatch.get(watchKey);
        return count == null ? 0 : count.sum();
    }

    /** Bytes of one watch's committed events, as the API server sent them. */
    public long bytes(String watchKey) {
        LongAdder count = bytesByWatch.get(watchKey);
        return count == null ? 0 : count.sum();
    }

    /** Committed lists of one watch by reason and method. */
    public Map<CompletedList, Long> completedLists(String watchKey) {
        Map<CompletedList, Long> copy = new java.util.HashMap<>();
        listsByWatch.getOrDefault(watchKey, Map.of()).forEach((list, count) -> copy.put(list, count.sum()));
        return copy;
    }

    /** Objects of one watch's committed lists by outcome: unchanged, changed, added, deleted (every one present once a list completed). */
    public Map<String, Long> listObjects(String watchKey) {
        Map<String, Long> copy = new TreeMap<>();
        listObjectsByWatch.getOrDefault(watchKey, Map.of()).forEach((outcome, count) -> copy.put(outcome, count.sum()));
        return copy;
    }

    /** Failed rounds by exception class. */
    public Map<String, Long> failuresByCause() {
        Map<String, Long> copy = new TreeMap<>();
        failuresByCause.forEach((cause, count) -> copy.put(cause, count.sum()));
        return copy;
    }

    /** The committed resourceVersion by watch key. */
    public Map<String, String> committedResourceVersions() {
        return Map.copyOf(committedResourceVersions);
    }
}
