package io.kube2kafka.watch;

import java.util.List;

/**
 * Events of one watch, handed downstream together with the resourceVersion to resume from once they
 * are durable.
 *
 * @param resumeResourceVersion where a restarted watch continues once these events are durable; null
 *     while a list is in progress, because resuming from the middle of a list would skip the
 *     comparison that finds deletions
 */
public record WatchBatch(WatchTarget target, List<WatchEvent> events, String resumeResourceVersion) {

    public static WatchBatch of(WatchTarget target, WatchEvent event) {
        return new WatchBatch(target, List.of(event), event.resourceVersion());
    }

    /** A bookmark or the end of a list: nothing to publish, only a new resume point. */
    public static WatchBatch resumeAt(WatchTarget target, String resourceVersion) {
        return new WatchBatch(target, List.of(), resourceVersion);
    }

    /** Rough size, for bounding how much may wait downstream. */
    public long sizeInBytes() {
        long size = 64;
        for (WatchEvent event : events) {
            size += event.json().length + 64;
        }
        return size;
    }
}
