package io.kube2kafka.watch;

import java.util.List;
import java.util.Objects;

/**
 * Events of one watch, handed downstream together with the resourceVersion to resume from once they
 * are durable.
 *
 * <p>A class rather than a record so that its size, which the queue's bound and the statistics ask
 * for several times per batch, is summed once: a firehose hands on thousands of batches a second.
 */
public final class WatchBatch {
    private final WatchTarget target;
    private final List<WatchEvent> events;
    private final String resumeResourceVersion;
    private final long sizeInBytes;
    private final ListSummary listSummary;

    /**
     * @param resumeResourceVersion where a restarted watch continues once these events are durable; null
     *     while a list is in progress, because resuming from the middle of a list would skip the
     *     comparison that finds deletions
     */
    public WatchBatch(WatchTarget target, List<WatchEvent> events, String resumeResourceVersion) {
        this(target, events, resumeResourceVersion, null);
    }

    private WatchBatch(WatchTarget target, List<WatchEvent> events, String resumeResourceVersion, ListSummary listSummary) {
        this.target = target;
        this.listSummary = listSummary;
        this.events = List.copyOf(Objects.requireNonNull(events, "events"));
        this.resumeResourceVersion = resumeResourceVersion;
        long size = 64;
        for (WatchEvent event : this.events) {
            size += event.json().length + 64;
        }
        this.sizeInBytes = size;
    }

    public static WatchBatch of(WatchTarget target, WatchEvent event) {
        return new WatchBatch(target, List.of(event), event.resourceVersion());
    }

    /** A bookmark or the end of a list: nothing to publish, only a new resume point. */
    public static WatchBatch resumeAt(WatchTarget target, String resourceVersion) {
        return new WatchBatch(target, List.of(), resourceVersion);
    }

    /**
     * The last batch of a completed list: its last events (derived deletions, or none), the list's
     * resourceVersion as the resume point, and the list's summary, so they become durable together.
     */
    public static WatchBatch endOfList(WatchTarget target, List<WatchEvent> events, ListSummary summary) {
        return new WatchBatch(target, events, summary.toResourceVersion(), Objects.requireNonNull(summary, "summary"));
    }

    /** What the list this batch completes found; null on every other batch. */
    public ListSummary listSummary() {
        return listSummary;
    }

    public WatchTarget target() {
        return target;
    }

    public List<WatchEvent> events() {
        return events;
    }

    /** null while a list is in progress. */
    public String resumeResourceVersion() {
        return resumeResourceVersion;
    }

    /** Rough size, for bounding how much may wait downstream. */
    public long sizeInBytes() {
        return sizeInBytes;
    }

    @Override
    public String toString() {
        return target + ": " + events.size() + " events, resume at " + resumeResourceVersion;
    }
}
