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
    private final Map<ListCause, LongAdder> listsByCause = new ConcurrentHashMap<>();
    private final Map<RestartCause, LongAdder> restartsByCause = new ConcurrentHashMap<>();
    /** Why the next list runs: a first start until the watch has been open once (or a 410 says otherwise). */
    private volatile ListCause nextListCause = ListCause.FIRST_START;
    private volatile boolean listCounted;
    /** True while a watch is open and has not failed: if the next open finds it still set, the server closed it. */
    private volatile boolean watchOpen;

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

    /**
     * Lists begun, by cause. Counted at a list's first page; a list that fails and is retried counts
     * again under the same cause, since the reason to list has not changed.
     */
    public Map<ListCause, Long> listsByCause() {
        Map<ListCause, Long> copy = new java.util.EnumMap<>(ListCause.class);
        for (ListCause cause : ListCause.values()) {
            LongAdder count = listsByCause.get(cause);
            copy.put(cause, count == null ? 0L : count.sum());
        }
        return copy;
    }

    /**
     * Times the watch loop went round again, by why: each failure (a failed list included) or 410 counts
     * when it happens; a watch the server closed normally counts when the next one opens.
     * Every cause is present, zeros included, so a rate over it starts from a known value.
     */
    public Map<RestartCause, Long> restartsByCause() {
        Map<RestartCause, Long> copy = new java.util.EnumMap<>(RestartCause.class);
        for (RestartCause cause : RestartCause.values()) {
            LongAdder count = restartsByCause.get(cause);
            copy.put(cause, count == null ? 0L : count.sum());
        }
        return copy;
    }

    void listing(int objectsSoFar) {
        if (!listCounted) {
            listCounted = true;
            listsByCause.computeIfAbsent(nextListCause, c -> new LongAdder()).increment();
        }
        state = State.LISTING;
        listedSoFar = objectsSoFar;
    }

    void listed(String listResourceVersion) {
        resourceVersion = listResourceVersion;
        listCounted = false;
        nextListCause = ListCause.OTHER;
    }

    void watching(String from) {
        if (watchOpen) {
            restarted(RestartCause.CLOSED);
        }
        watchOpen = true;
        listCounted = false;
        nextListCause = ListCause.OTHER;
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
        nextListCause = ListCause.EXPIRED;
        listCounted = false;
        restarted(RestartCause.EXPIRED);
    }

    void failed(Exception e) {
        state = State.FAILING;
        lastError = e.getMessage();
        String cause = e instanceof ApiException api ? Integer.toString(api.code()) : e.getClass().getSimpleName();
        errors.computeIfAbsent(cause, c -> new LongAdder()).increment();
        listCounted = false;
        restarted(RestartCause.of(e));
    }

    private void restarted(RestartCause cause) {
        watchOpen = false;
        restartsByCause.computeIfAbsent(cause, c -> new LongAdder()).increment();
    }

    void stopped() {
        state = State.STOPPED;
    }
}
