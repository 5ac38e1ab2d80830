package io.kube2kafka.watch;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one watcher is doing, written by its thread and read by readiness checks and metrics. Every
 * field is safe to read from any thread.
 */
public final class WatchStatus {

    /** Where the watcher is in its loop. */
    public enum State { STARTING, LISTING, WATCHING, FAILING, STOPPED }

    private final WatchTarget target;
    private volatile State state = State.STARTING;
    private volatile String resourceVersion;
    private volatile String lastError;
    private volatile Instant lastEventAt;
    private volatile int listedSoFar;
    private final Map<EventType, LongAdder> events = new ConcurrentHashMap<>();
    private final LongAdder eventBytes = new LongAdder();
    private final LongAdder relists = new LongAdder();
    private final LongAdder watchesOpened = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicLong lastEventNanos = new AtomicLong();

    public WatchStatus(WatchTarget target) {
        this.target = target;
    }

    public WatchTarget target() {
        return target;
    }

    public State state() {
        return state;
    }

    public String resourceVersion() {
        return resourceVersion;
    }

    /** The last failure, while the watcher is failing; null once it is live again. */
    public String lastError() {
        return lastError;
    }

    /** Objects the running (or last) list has returned so far. */
    public int listedSoFar() {
        return listedSoFar;
    }

    public Instant lastEventAt() {
        return lastEventAt;
    }

    public long events(EventType type) {
        LongAdder count = events.get(type);
        return count == null ? 0 : count.sum();
    }

    public long eventBytes() {
        return eventBytes.sum();
    }

    public long relists() {
        return relists.sum();
    }

    public long watchesOpened() {
        return watchesOpened.sum();
    }

    /** Failures by cause ("410", "401", "IOException", ...). */
    public Map<String, Long> errors() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        errors.forEach((cause, count) -> copy.put(cause, count.sum()));
        return copy;
    }

    void listing(int objectsSoFar) {
        state = State.LISTING;
        listedSoFar = objectsSoFar;
    }

    void listed(String listResourceVersion) {
        resourceVersion = listResourceVersion;
    }

    void watching(String from) {
        state = State.WATCHING;
        resourceVersion = from;
        lastError = null;
        watchesOpened.increment();
    }

    void event(EventType type, String rv, int bytes) {
        resourceVersion = rv;
        events.computeIfAbsent(type, t -> new LongAdder()).increment();
        eventBytes.add(bytes);
        lastEventAt = Instant.now();
        lastEventNanos.set(System.nanoTime());
    }

    void bookmark(String rv) {
        resourceVersion = rv;
        events.computeIfAbsent(EventType.BOOKMARK, t -> new LongAdder()).increment();
    }

    void relisted() {
        state = State.LISTING;
        relists.increment();
        errors.computeIfAbsent("410", c -> new LongAdder()).increment();
    }

    void failed(Exception e) {
        state = State.FAILING;
        lastError = e.getMessage();
        String cause = e instanceof ApiException api ? Integer.toString(api.code()) : e.getClass().getSimpleName();
        errors.computeIfAbsent(cause, c -> new LongAdder()).increment();
    }

    void stopped() {
        state = State.STOPPED;
    }
}
