package io.kube2kafka.watch;

import io.kube2kafka.watch.WatchLineParser.ParsedLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The list-then-watch loop for one {@link WatchTarget}, after client-go's reflector.
 *
 * <ol>
 *   <li>Without a resume point, list: as a WatchList stream ({@link StreamedList}) that then goes on
 *       as the watch, or page by page ({@code watch.initial-list}, {@link InitialListChoice}). Compare
 *       each object with what downstream holds and hand on only the difference; objects downstream
 *       holds that the list lacks become DELETED.
 *       The list's own resourceVersion (not the last item's) is the resume point.</li>
 *   <li>Watch from the resume point with bookmarks. Every event is handed on as its line completes,
 *       with its resourceVersion as the new resume point; a bookmark only moves the resume point.</li>
 *   <li>Before a watch resumes from a version it did not just list at, a one-object list at that version
 *       asks whether the API server has reached it ({@link ResumeCheck}): a watch from a version the
 *       server has not reached is accepted silently.</li>
 *   <li>A watch that ends normally (timeoutSeconds) is reopened from the resume point. 410 Expired,
 *       as a status or as an ERROR event in a 200 stream, clears it, so the next round lists. So does
 *       "Too large resource version" once it outlasts a short retry ({@link TooLargeResourceVersion}).</li>
 * </ol>
 *
 * Errors are sorted in {@link #pauseAfter}: authorization failures retry slowly, 429 honours
 * Retry-After, anything else backs off exponentially with jitter, unexpected ones (any
 * RuntimeException) included; only a stop or a sink that stopped for good ends the loop. Lists after
 * an expired resume point are spaced by their own backoff ({@link RelistBackoff}).
 */
public final class Watcher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Watcher.class);
    /** A watch that closes this soon without events counts as a failure, so the loop can never spin. */
    private static final Duration MIN_HEALTHY_WATCH = Duration.ofSeconds(1);
    /** Bounds the events read ahead of the sink when a burst arrives in one read. */
    private static final int MAX_EVENTS_PER_BATCH = 1000;

    private final WatchTarget target;
    private final ApiClient api;
    private final WatchSink sink;
    private final WatchSettings settings;
    private final Pauser pauser;
    private final Backoff backoff;
    private final RelistBackoff relistBackoff;
    private final WatchLineParser lineParser = new WatchLineParser();
    private final WatchStatus status;
    private final TooLargeResourceVersion tooLarge;
    private final ResumeCheck resumeCheck;
    private final PaginatedList paginatedList;
    private final SelectionCheck selection;
    private final InitialListChoice initialList;
    private final ListEnding listEnding;
    private volatile boolean stopping;
    private volatile ApiClient.WatchStream openStream;
    private String resourceVersion;
    /** The resume point given up before the next list (null on a first start), for its summary. */
    private String gapFrom;
    private ListCause nextListCause;
    /** A signal's request for a list, set by another thread: null for none, else whether it is a resnapshot. */
    private final AtomicReference<Boolean> listRequest = new AtomicReference<>();
    /** Whether the next list publishes every object again (origin snapshot); watch thread only. */
    private boolean resnapshotNext;

    public Watcher(WatchTarget target, ApiClient api, WatchSink sink, WatchSettings settings, String resumeResourceVersion, Pauser pauser) {
        this(target, api, sink, settings, ResumePoint.of(resumeResourceVersion), pauser, SelectionCheck.alone(target, api));
    }

    /** @param selection judges this watch's DELETED events, knowing the other watches that write its topic */
    public Watcher(WatchTarget target, ApiClient api, WatchSink sink, WatchSettings settings, ResumePoint resume, Pauser pauser,
                   SelectionCheck selection) {
        this.target = target;
        this.api = api;
        this.selection = selection;
        this.sink = selection.inTurns(sink);
        this.settings = settings;
        this.pauser = pauser;
        this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
        this.relistBackoff = new RelistBackoff(settings.backoffInitial(), settings.backoffMax(), System::nanoTime);
        this.resourceVersion = resume.resourceVersion();
        this.gapFrom = resume.storedResourceVersion();
        this.nextListCause = resume.listCause();
        this.status = new WatchStatus(target);
        this.tooLarge = new TooLargeResourceVersion(target, settings.tooLargeRetry());
        this.resumeCheck = new ResumeCheck(api, target);
        this.paginatedList = new PaginatedList(target, api, this.sink, status, settings.pageSize());
        this.initialList = new InitialListChoice(settings.initialList());
        this.listEnding = new ListEnding(target, this.sink, selection, settings.pageSize());
    }

    public WatchTarget target() {
        return target;
    }

    /** Live facts about this watch, for readiness and metrics. */
    public WatchStatus status() {
        return status;
    }

    /** Ends the loop: an open watch is cancelled, a pause is interrupted by the caller's thread interrupt. */
    public void stop() {
        stopping = true;
        ApiClient.WatchStream stream = openStream;
        if (stream != null) {
            stream.cancel();
        }
    }

    /**
     * Asks for a list and comparison as soon as possible (a reconcile or resnapshot signal): the open
     * watch is ended, and the next list has the cause {@link ListCause#SIGNAL}. Requests that arrive
     * before that list starts share it; a resnapshot among them makes it a resnapshot. A request that
     * arrives while a list runs gets a list of its own afterwards, as that list may have read past
     * what the requester wanted re-checked.
     *
     * @param resnapshot hand on every listed object (origin snapshot), not only the differences
     */
    public void requestList(boolean resnapshot) {
        listRequest.accumulateAndGet(resnapshot, (pending, asked) -> (pending != null && pending) || asked);
        ApiClient.WatchStream stream = openStream;
        if (stream != null) {
            stream.cancel();
        }
    }

    @Override
    public void run() {
        if (resourceVersion != null) {
            log.info("{}: resuming the watch at resourceVersion {}", target, resourceVersion);
        }
        try {
            watchUntilStopped();
        } finally {
            status.stopped();
        }
        log.info("{}: watch stopped at resourceVersion {}", target, resourceVersion);
    }

    /** The loop: only a stop, or a sink that stopped for good, ends it; every other failure is retried. */
    private void watchUntilStopped() {
        while (!stopping) {
            try {
                takeListRequest();
                long started = System.nanoTime();
                int events;
                if (resourceVersion == null && initialList.streams()) {
                    events = streamListThenWatch();
                } else {
                    if (resourceVersion == null) {
                        resourceVersion = listAndCompare();
                    } else {
                        resumeCheck.confirmReached(resourceVersion);
                    }
                    started = System.nanoTime();
                    events = watchFrom(resourceVersion);
                }
                if (events == 0 && Duration.ofNanos(System.nanoTime() - started).compareTo(MIN_HEALTHY_WATCH) < 0 && !stopping
                        && listRequest.get() == null) {
                    throw new IOException("watch closed within a second without events");
                }
                backoff.reset();
            } catch (InterruptedException e) {
                if (!stopping) {
                    Thread.currentThread().interrupt();
                }
                break;
            } catch (ApiException e) {
                if (stopping) {
                    break;
                }
                if (e.isExpired()) {
                    log.info("{}: resourceVersion {} has expired ({}); listing again and comparing with the topic", target, resourceVersion, e.getMessage());
                    status.relisted(ListCause.EXPIRED, e);
                    giveUpResumePoint(ListCause.EXPIRED);
                    if (!pauseBeforeRelist()) {
                        break;
                    }
                    continue;
                }
                if (e.isResourceVersionTooLarge() && resourceVersion != null && !tooLarge.retry(resourceVersion, e, System.nanoTime())) {
                    status.relisted(ListCause.TOO_LARGE_RESOURCE_VERSION, e);
                    giveUpResumePoint(ListCause.TOO_LARGE_RESOURCE_VERSION);
                    continue;
                }
                if (!pauseAfter(e)) {
                    break;
                }
            } catch (IOException | MalformedEventException e) {
                // SocketTimeoutException is an InterruptedIOException too: a half-open watch, not a stop.
                if (stopping) {
                    break;
                }
                if (!pauseAfter(e)) {
                    break;
                }
            } catch (SinkStoppedException e) {
                log.error("{}: ending the watch at resourceVersion {}: {}", target, resourceVersion, e.getMessage());
                break;
            } catch (RuntimeException e) {
                // Anything else (a credential plugin or token file that throws, Kafka unreachable while the
                // topic is read, a bug) must not end the watch unnoticed: logged, counted, retried with backoff.
                if (stopping) {
                    break;
                }
                if (!pauseAfter(e)) {
                    break;
                }
            }
        }
    }

    /** A pending signal makes the next list's cause {@link ListCause#SIGNAL}, whatever else made the watch list. */
    private void takeListRequest() {
        Boolean resnapshot = listRequest.getAndSet(null);
        if (resnapshot == null) {
            return;
        }
        log.info("{}: a signal asks for a {}; listing at once", target, resnapshot ? "resnapshot" : "reconcile");
        if (resourceVersion != null) {
            giveUpResumePoint(ListCause.SIGNAL);
        }
        nextListCause = ListCause.SIGNAL;
        resnapshotNext = resnapshotNext || resnapshot;
        status.listRequested();
    }

    /** The next round lists and compares instead of resuming; its summary names the cause and the resume point given up. */
    private void giveUpResumePoint(ListCause cause) {
        gapFrom = resourceVersion;
        nextListCause = cause;
        resourceVersion = null;
    }

    /** Logs the failure and waits before the next attempt; false when interrupted. */
    private boolean pauseAfter(Exception e) {
        Duration pause;
        if (e instanceof ApiException api && api.isAuthorizationFailure()) {
            pause = settings.authorizationBackoff();
            status.failed(e);
            log.error("{}: the API server refused {} ({}); check the credentials and RBAC (list and watch on {}). Retrying in {} s",
                    target, target.resource().qualifiedName(), e.getMessage(), target.resource().plural(), pause.toSeconds());
        } else if (e instanceof ApiException api && api.isThrottled()) {
            Duration delay = backoff.nextDelay();
            pause = api.retryAfter() != null && api.retryAfter().compareTo(delay) > 0 ? api.retryAfter() : delay;
            status.failed(e);
            log.warn("{}: throttled by the API server ({}); retrying in {} ms", target, e.getMessage(), pause.toMillis());
        } else if (e instanceof RuntimeException) {
            pause = backoff.nextDelay();
            // The stack trace once per cause: a failure that repeats every backoff must not bury the log.
            if (status.failed(e)) {
                log.error("{}: unexpected failure at resourceVersion {}; retrying in {} ms", target, resourceVersion, pause.toMillis(), e);
            } else {
                log.error("{}: unexpected failure at resourceVersion {}: {}; retrying in {} ms", target, resourceVersion,
                        WatchStatus.describe(e), pause.toMillis());
            }
        } else {
            pause = backoff.nextDelay();
            status.failed(e);
            log.warn("{}: {} at resourceVersion {}; retrying in {} ms", target, e.getMessage(), resourceVersion, pause.toMillis());
        }
        return pause(pause);
    }

    /** Waits before a list that follows an expired resume point (see {@link RelistBackoff}); false when interrupted. */
    private boolean pauseBeforeRelist() {
        Duration pause = relistBackoff.nextPause();
        log.info("{}: listing in {} ms", target, pause.toMillis());
        return pause(pause);
    }

    private boolean pause(Duration pause) {
        try {
            pauser.pause(pause);
            return true;
        } catch (InterruptedException interrupted) {
            if (!stopping) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    /**
     * Lists every object page by page ({@link PaginatedList}) and hands on only what differs from what
     * downstream holds.
     *
     * @return the list's resourceVersion, where the watch continues
     */
    private String listAndCompare() throws IOException, InterruptedException, MalformedEventException {
        status.startedReadingTopic();
        ListComparison comparison = new ListComparison(sink.knownObjects(target), nextListCause, ListMethod.PAGINATED_LIST, gapFrom,
                resnapshotNext, Instant.now());
        String listResourceVersion = paginatedList.read(comparison, () -> stopping);
        return finishList(comparison, listResourceVersion);
    }

    /**
     * Hands on the derived deletions of a complete list, and its summary with its resume point on the
     * last batch, then logs what the list found.
     *
     * @return the list's resourceVersion, where the watch continues
     */
    private String finishList(ListComparison comparison, String listResourceVersion) throws IOException, InterruptedException,
            MalformedEventException {
        List<String> vanished = comparison.vanished();
        ListSummary summary = comparison.summary(listResourceVersion, vanished.size(), Instant.now());
        listEnding.handOn(vanished, comparison.known(), summary);
        // The same facts as the list's notification (publish's Notifications), for whoever reads the log instead.
        log.info("{}: listed {} objects at resourceVersion {} by {} ({}, after resourceVersion {}) in {} ms: {} new, {} changed, {} unchanged, "
                        + "{} deleted while unwatched", target, summary.listed(), listResourceVersion, summary.method().label(), summary.cause().label(),
                summary.fromResourceVersion() == null ? "none" : summary.fromResourceVersion(),
                Duration.between(summary.startedAt(), summary.completedAt()).toMillis(), summary.added(), summary.changed(), summary.unchanged(),
                summary.deleted());
        status.listed(listResourceVersion);
        gapFrom = null;
        nextListCause = ListCause.OTHER;
        resnapshotNext = false;
        return listResourceVersion;
    }

    /** @return how many object events the watch delivered */
    private int watchFrom(String from) throws IOException, InterruptedException, MalformedEventException {
        Map<String, String> query = watchQuery();
        query.put("resourceVersion", from);
        return read(query, null);
    }

    /**
     * Lists as a WatchList stream and goes on watching on the same stream. The request is client-go's
     * (reflector.go watchList): sendInitialEvents=true, resourceVersionMatch=NotOlderThan, bookmarks,
     * and no resourceVersion, which asks for a consistent read, as the paginated list does. A server
     * that refuses it (422) makes {@code auto} list page by page, now and from then on.
     *
     * @return how many object events the stream delivered, initial ones included
     */
    private int streamListThenWatch() throws IOException, InterruptedException, MalformedEventException {
        Map<String, String> query = watchQuery();
        query.put("sendInitialEvents", "true");
        query.put("resourceVersionMatch", "NotOlderThan");
        status.startedReadingTopic();
        StreamedList list = new StreamedList(new ListComparison(sink.knownObjects(target), nextListCause, ListMethod.WATCH_LIST, gapFrom,
                resnapshotNext, Instant.now()));
        ApiException refusal = null;
        try {
            int events = read(query, list);
            if (!list.complete() && !endedOnPurpose()) {
                // A clean end is no proof of a complete list (kubernetes #140890): without the bookmark it is a failure, retried with backoff.
                throw new IOException("the WatchList stream ended before the bookmark annotated " + InitialEventsLine.END_ANNOTATION);
            }
            return events;
        } catch (ApiException e) {
            if (list.comparison().listedCount() > 0 || !InitialListChoice.isRefusal(e)) {
                throw e;
            }
            refusal = e;
        } finally {
            if (!list.complete() && !endedOnPurpose() && refusal == null) {
                status.incompleteStreamedList();
                log.warn("{}: incomplete WatchList list ({} objects before the stream ended): no deletion derived, no resume point; "
                        + "the next round lists again", target, list.comparison().listedCount());
            }
        }
        if (!initialList.fallsBackAfter(refusal)) {
            throw new ApiException(refusal.code(), refusal.reason(), refusal.getMessage() + "; " + InitialList.KEY + "="
                    + initialList.configured().label() + " never falls back to paginated lists: set it to auto or paginated for this API server",
                    refusal.retryAfter());
        }
        log.warn("{}: the API server refused a WatchList request ({}); with {}=auto this watch lists page by page from now on", target,
                refusal.getMessage(), InitialList.KEY);
        resourceVersion = listAndCompare();
        return watchFrom(resourceVersion);
    }

    /** The open stream was cancelled by a stop or by a signal's list request: no failure, nothing to retry. */
    private boolean endedOnPurpose() {
        return stopping || listRequest.get() != null;
    }

    private Map<String, String> watchQuery() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("watch", "1");
        query.put("allowWatchBookmarks", "true");
        long timeout = settings.timeout().toSeconds();
        query.put("timeoutSeconds", Long.toString(timeout + ThreadLocalRandom.current().nextLong(timeout + 1)));
        target.addSelectorsTo(query);
        return query;
    }

    /**
     * Opens a watch and reads it to its end.
     *
     * @param list the list a WatchList stream completes first, or null for a watch from {@link #resourceVersion}
     * @return how many object events the watch delivered
     */
    private int read(Map<String, String> query, StreamedList list) throws IOException, InterruptedException, MalformedEventException {
        int events = 0;
        try (ApiClient.WatchStream stream = api.watch(target.resource().collectionPath(target.namespace()), query)) {
            openStream = stream;
            // Checked after openStream is set, so a request that finds no stream to cancel is seen here.
            if (stopping || listRequest.get() != null) {
                return events;
            }
            if (list == null) {
                status.watching(resourceVersion);
            }
            WatchLineReader reader = new WatchLineReader(stream.body(), settings.maxEventBytes());
            List<WatchEvent> pending = new ArrayList<>();
            try {
                byte[] line;
                while ((line = reader.nextLine()) != null) {
                    if (line.length == 0) {
                        continue;
                    }
                    if (list != null && !list.complete()) {
                        if (handleListed(line, pending, list)) {
                            events++;
                        }
                        if (list.complete()) {
                            resourceVersion = finishList(list.comparison(), list.resourceVersion());
                            status.watching(resourceVersion);
                        }
                    } else if (handle(line, pending)) {
                        events++;
                    }
                    // Lines that arrived together go on together; the last complete line never waits.
                    if (!reader.hasCompleteLine() || pending.size() >= MAX_EVENTS_PER_BATCH) {
                        handOn(pending, list);
                    }
                }
            } finally {
                // Events read before a failure (a malformed line after them, a cut) are handed on, so the
                // resume point never passes an event that was not.
                if (!stopping) {
                    handOn(pending, list);
                }
            }
            return events;
        } catch (IOException e) {
            if (stopping) {
                throw new InterruptedIOException("stopped");
            }
            if (listRequest.get() != null) {
                // requestList() cancelled the stream: not a failure, the loop lists next.
                return events;
            }
            throw e;
        } finally {
            openStream = null;
        }
    }

    /** Hands on what is pending: while {@code list} is incomplete, with no resume point, as a paginated list's pages. */
    private void handOn(List<WatchEvent> pending, StreamedList list) throws InterruptedException {
        if (list != null && !list.complete()) {
            if (!pending.isEmpty()) {
                sink.accept(new WatchBatch(target, pending, null));
                pending.clear();
            }
            return;
        }
        handOn(pending);
    }

    private void handOn(List<WatchEvent> pending) throws InterruptedException {
        if (pending.isEmpty()) {
            return;
        }
        String last = pending.get(pending.size() - 1).resourceVersion();
        sink.accept(new WatchBatch(target, pending, last));
        resourceVersion = last;
        pending.clear();
    }

    /**
     * Adds an object event to {@code pending}; a bookmark or an ERROR first hands on what is pending,
     * so events and resume points stay in stream order.
     *
     * @return true when the line was an object event
     */
    private boolean handle(byte[] line, List<WatchEvent> pending) throws IOException, InterruptedException, MalformedEventException {
        ParsedLine parsed;
        try {
            parsed = lineParser.parse(line);
        } catch (MalformedEventException e) {
            throw new MalformedEventException("malformed watch line after resourceVersion " + lastSeen(pending) + ": "
                    + e.getMessage() + " in " + excerpt(line), e);
        }
        EventType type = EventType.parse(parsed.type());
        if (type == null) {
            throw new MalformedEventException("unknown watch event type \"" + parsed.type() + "\" for "
                    + describe(parsed) + "; reconnecting from resourceVersion " + lastSeen(pending), null);
        }
        switch (type) {
            case BOOKMARK -> {
                handOn(pending);
                if (parsed.resourceVersion() != null && !parsed.resourceVersion().equals(resourceVersion)) {
                    resourceVersion = parsed.resourceVersion();
                    sink.accept(WatchBatch.resumeAt(target, resourceVersion));
                }
                status.bookmark(resourceVersion);
                return false;
            }
            case ERROR -> {
                handOn(pending);
                throw ApiException.fromErrorEvent(line, parsed);
            }
            default -> {
                if (parsed.uid() == null || parsed.resourceVersion() == null) {
                    throw new MalformedEventException(type + " event without metadata.uid or metadata.resourceVersion: "
                            + describe(parsed), null);
                }
                WatchEvent event = new WatchEvent(type, Origin.WATCH, parsed.uid(), nullToEmpty(parsed.namespace()),
                        parsed.name(), parsed.resourceVersion(), line, parsed.attribution());
                if (type == EventType.DELETED && selection.judgesDeletions()) {
                    // A selector watch's DELETED may mean the object left the selection; the server is asked, and
                    // the answer is handed on in the same turn (see SelectionCheck). Earlier events go first. If
                    // the server cannot answer, nothing of this event was handed on: the watch resumes before it.
                    synchronized (selection.turn()) {
                        handOn(pending);
                        pending.add(selection.judge(event));
                        handOn(pending);
                    }
                } else {
                    pending.add(event);
                }
                status.event(type, parsed.resourceVersion(), line.length);
                return true;
            }
        }
    }

    /**
     * A line of a WatchList stream before its list is complete. Once the annotated bookmark arrives,
     * what is pending is handed on before the list's end, so its summary comes last.
     *
     * @return true when the line was an object event
     */
    private boolean handleListed(byte[] line, List<WatchEvent> pending, StreamedList list) throws IOException, InterruptedException,
            MalformedEventException {
        ParsedLine parsed;
        try {
            parsed = lineParser.parse(line);
        } catch (MalformedEventException e) {
            throw new MalformedEventException("malformed line in a WatchList stream after " + list.comparison().listedCount()
                    + " objects: " + e.getMessage() + " in " + excerpt(line), e);
        }
        EventType type = EventType.parse(parsed.type());
        if (type == null) {
            throw new MalformedEventException("unknown watch event type \"" + parsed.type() + "\" for " + describe(parsed)
                    + " in a WatchList stream", null);
        }
        if (type == EventType.ERROR) {
            handOn(pending, list);
            throw ApiException.fromErrorEvent(line, parsed);
        }
        if (type == EventType.BOOKMARK) {
            // Listed events go on before the list's end, so that its summary comes last.
            handOn(pending, list);
        }
        WatchEvent event = list.accept(type, parsed, line);
        if (event != null && event.type() == EventType.DELETED && selection.judgesDeletions()) {
            // As in handle(): a selector watch's DELETED may mean the object left the selection.
            synchronized (selection.turn()) {
                handOn(pending, list);
                pending.add(selection.judge(event));
                handOn(pending, list);
            }
        } else if (event != null) {
            pending.add(event);
        }
        if (type != EventType.BOOKMARK) {
            status.listing(list.comparison().listedCount());
            return true;
        }
        return false;
    }

    private String lastSeen(List<WatchEvent> pending) {
        return pending.isEmpty() ? resourceVersion : pending.get(pending.size() - 1).resourceVersion();
    }

    private static String describe(ParsedLine parsed) {
        return (parsed.namespace() == null ? "" : parsed.namespace() + "/") + parsed.name() + " (uid " + parsed.uid() + ")";
    }

    private static String excerpt(byte[] line) {
        String text = new String(line, 0, Math.min(line.length, 120), java.nio.charset.StandardCharsets.UTF_8);
        return "\"" + text + (line.length > 120 ? "...\" (" + line.length + " bytes)" : "\"");
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
