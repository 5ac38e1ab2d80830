package io.kube2kafka.publish;

import io.kube2kafka.watch.WatchBatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Watch batches waiting for Kafka, bounded by their bytes: a watcher blocks in {@link #put} while
 * the bound is reached, so its stream slows to Kafka's pace instead of filling the heap. The bytes
 * of a batch count until its owner {@link #release}s it (after the commit, or once handed to
 * Connect). Shared by the standalone publisher and the Connect task.
 */
public final class BatchQueue {
    /** Put by {@link #wakeUp()} so a waiting {@link #take} returns at once; never handed out. */
    private static final WatchBatch WAKE_UP = new WatchBatch(null, List.of(), null);

    private final LinkedBlockingQueue<WatchBatch> queue = new LinkedBlockingQueue<>();
    private final Semaphore kilobytes;
    private final int maxKilobytes;
    private final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();

    public BatchQueue(long maxBytes) {
        this.maxKilobytes = (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxBytes / 1024));
        this.kilobytes = new Semaphore(maxKilobytes);
    }

    /** Blocks while the bound is reached. */
    public void put(WatchBatch batch) throws InterruptedException {
        kilobytes.acquire(kilobytes(batch));
        queuedBytes.addAndGet(batch.sizeInBytes());
        queue.put(batch);
    }

    /**
     * Batches in the order they were put, up to about {@code maxEvents} events: waits up to
     * {@code wait} for the first, then takes what is already there. Empty when nothing came or
     * {@link #wakeUp()} was called.
     */
    public List<WatchBatch> take(int maxEvents, Duration wait) throws InterruptedException {
        List<WatchBatch> round = new ArrayList<>();
        WatchBatch first = wait.isZero() ? queue.poll() : queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null || first == WAKE_UP) {
            return round;
        }
        round.add(first);
        int events = first.events().size();
        WatchBatch next;
        while (events < maxEvents && (next = queue.peek()) != null && next != WAKE_UP) {
            round.add(queue.poll());
            events += next.events().size();
        }
        return round;
    }

    /**
     * The batches' bytes no longer count against the bound. In one release, not one per batch: a
     * watcher blocked in {@link #put} wakes on every release to see whether its share is free yet,
     * and a firehose round commits thousands of batches.
     */
    public void release(List<WatchBatch> batches) {
        int released = 0;
        long bytes = 0;
        for (WatchBatch batch : batches) {
            released += kilobytes(batch);
            bytes += batch.sizeInBytes();
        }
        kilobytes.release(released);
        queuedBytes.addAndGet(-bytes);
    }

    /** Bytes of the batches put and not yet released: waiting, or in the round being committed. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    /** Watchers blocked in {@link #put} because the bound is reached: they are paused until Kafka catches up. */
    public int blockedPutters() {
        return kilobytes.getQueueLength();
    }

    /** Ends a waiting {@link #take} early. */
    public void wakeUp() {
        queue.offer(WAKE_UP);
    }

    /** Batches waiting, a wake-up not counted. */
    public int size() {
        return (int) queue.stream().filter(b -> b != WAKE_UP).count();
    }

    /** A batch larger than the whole bound takes all of it, rather than waiting forever. */
    private int kilobytes(WatchBatch batch) {
        return (int) Math.min(maxKilobytes, Math.max(1, batch.sizeInBytes() / 1024));
    }
}
