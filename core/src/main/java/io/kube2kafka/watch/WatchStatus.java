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
    private volatile Instant failingSince;
    private volatile boolean readingTopic;
    private volatile Instant lastEventAt;
    private volatile int listedSoFar;
    private final Map<EventType, LongAdder> events = new ConcurrentHashMap<>();
    private final LongAdder eventBytes = new LongAdder();
    private final LongAdder relists = new LongAdder();
    private final LongAdder watchesOpened = new LongAdder();
    private final LongAdder incompleteStreamedLists = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> unexpectedErrors = new ConcurrentHashMap<>();
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

    /**
     * The last failure, while the watcher is failing or listing again after it; null once it is
     * watching again.
     */
    public String lastError() {
        return lastError;
    }

    /** When the current run of failures began; null while the watch is open. */
    public Instant failingSince() {
        return failingSince;
    }

    /** True while a list waits for what the topic holds (the comparison needs it before the first page). */
    public boolean readingTopic() {
        return readingTopic;
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

    /** Failures by cause ("410", "401", "IOException", ...), the unexpected ones included. */
    public Map<String, Long> errors() {
        return sums(errors);
    }

    /**
     * Failures outside the sorted API and I/O errors, by exception class: a credential plugin or a
     * token file that throws, Kafka unreachable while the topic is read, a bug.
     */
    public Map<String, Long> unexpectedErrors() {
        return sums(unexpectedErrors);
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counts) {
        Map<String, Long> copy = new java.util.TreeMap<>();
        counts.forEach((cause, count) -> copy.put(cause, count.sum()));
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

    void startedReadingTopic() {
        state = State.LISTING;
        readingTopic = true;
    }

    void listing(int objectsSoFar) {
        if (!listCounted) {
            listCounted = true;
            listsByCause.computeIfAbsent(nextListCause, c -> new LongAdder()).increment();
        }
        state = State.LISTING;
        readingTopic = false;
        listedSoFar = objectsSoFar;
    }

    void listed(String listResourceVersion) {
        resourceVersion = listResourceVersion;
        listCounted = false;
        nextListCause = ListCause.OTHER;
    }

    /** A signal asked for a list: it is counted under {@link ListCause#SIGNAL}. */
    void listRequested() {
        nextListCause = ListCause.SIGNAL;
        listCounted = false;
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
        failingSince = null;
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

    /**
     * The watch gives up its resume point and lists again, because of {@code answer}: a 410, or a
     * version the server never reached. Counted under the answer's own status and restart cause, so a
     * restored cluster does not pass for a 410.
     */
    void relisted(ListCause cause, ApiException answer) {
        state = State.LISTING;
        relists.increment();
        errors.computeIfAbsent(Integer.toString(answer.code()), c -> new LongAdder()).increment();
        nextListCause = cause;
        listCounted = false;
        restarted(RestartCause.of(answer));
    }

    /** @return true when this is the watch's first unexpected failure of this exception class */
    boolean failed(Exception e) {
        state = State.FAILING;
        readingTopic = false;
        lastError = describe(e);
        if (failingSince == null) {
            failingSince = Instant.now();
        }
        String cause = e instanceof ApiException api ? Integer.toString(api.code()) : e.getClass().getSimpleName();
        errors.computeIfAbsent(cause, c -> new LongAdder()).increment();
        listCounted = false;
        restarted(RestartCause.of(e));
        if (!(e instanceof RuntimeException)) {
            return false;
        }
        LongAdder unexpected = unexpectedErrors.computeIfAbsent(cause, c -> new LongAdder());
        unexpected.increment();
        return unexpected.sum() == 1;
    }

    private void restarted(RestartCause cause) {
        watchOpen = false;
        restartsByCause.computeIfAbsent(cause, c -> new LongAdder()).increment();
    }

    /** The message, led by the exception's class when it is unexpected (a NullPointerException may have no message). */
    static String describe(Exception e) {
        if (e instanceof RuntimeException || e.getMessage() == null) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return e.getMessage();
    }

    /** A WatchList stream ended (or failed) before the bookmark that completes its list. */
    void incompleteStreamedList() {
        incompleteStreamedLists.increment();
    }

    /** WatchList streams that ended before their list was complete: each is listed again. */
    public long incompleteStreamedLists() {
        return incompleteStreamedLists.sum();
    }

    void stopped() {
        state = State.STOPPED;
        readingTopic = false;
    }

    /** What a watch is doing, and while it is not watching, why: the line /readyz (and a Connect task's metrics) show. */
    public String describe() {
        String described = switch (state) {
            case STARTING -> "starting (reading what the topic holds before the first list)";
            case LISTING -> readingTopic ? "listing (reading what the topic holds, to compare the list with)"
                    : "listing (" + listedSoFar + " objects so far)";
            case FAILING -> "failing since " + failingSince + ": " + lastError + " (retrying with backoff)";
            case STOPPED -> "stopped";
            case WATCHING -> "watching";
        };
        // A list, or the stop of a watch, that follows failures names the last one: the cause is not over yet.
        boolean afterFailure = lastError != null && state != State.FAILING;
        return afterFailure ? described + " after failing since " + failingSince + ": " + lastError : described;
    }
}
