package io.kube2kafka.publish;

import io.kube2kafka.watch.WatchBatch;
import io.kube2kafka.watch.WatchTarget;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    private volatile boolean healthy = true;
    private volatile String lastError;

    void committed(java.util.List<WatchBatch> round, int events, long nanos) {
        transactions.increment();
        records.add(events);
        for (WatchBatch batch : round) {
            bytes.add(batch.sizeInBytes());
        }
        lastCommitNanos.set(nanos);
        healthy = true;
        lastError = null;
    }

    void failed(Exception e) {
        failures.increment();
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

    public long lastCommitNanos() {
        return lastCommitNanos.get();
    }

    /** The committed resourceVersion by watch key. */
    public Map<String, String> committedResourceVersions() {
        return Map.copyOf(committedResourceVersions);
    }
}
