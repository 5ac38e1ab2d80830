package io.kube2kafka.watch;

import io.kube2kafka.watch.WatchLineParser.ParsedLine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The end of a complete list, whichever way it arrived: each object downstream holds that the list
 * lacked becomes a DELETED, built from the last state downstream holds, and the list's last batch
 * carries its summary and resume point, so they become durable together.
 */
final class ListEnding {
    private final WatchTarget target;
    private final WatchSink sink;
    private final SelectionCheck selection;
    private final int pageSize;
    private final WatchLineParser lineParser = new WatchLineParser();

    /** @param pageSize how many last states are read back from downstream and held at once */
    ListEnding(WatchTarget target, WatchSink sink, SelectionCheck selection, int pageSize) {
        this.target = target;
        this.sink = sink;
        this.selection = selection;
        this.pageSize = pageSize;
    }

    /**
     * @param vanished the uids downstream holds that the list lacked ({@link ListComparison#vanished})
     * @param summary what the list found; its toResourceVersion is the resume point
     */
    void handOn(List<String> vanished, KnownObjects known, ListSummary summary) throws IOException, InterruptedException,
            MalformedEventException {
        if (vanished.isEmpty()) {
            sink.accept(WatchBatch.endOfList(target, List.of(), summary));
        }
        for (int from = 0; from < vanished.size(); from += pageSize) {
            List<String> group = vanished.subList(from, Math.min(vanished.size(), from + pageSize));
            boolean last = from + pageSize >= vanished.size();
            List<WatchEvent> deletions = derivedDeletions(group, known);
            // Judged and handed on in one turn, as the watch's own DELETEDs are: the list may have lacked them
            // because they left the selection (SelectionCheck).
            synchronized (selection.turn()) {
                List<WatchEvent> judged = selection.judge(deletions);
                sink.accept(last ? WatchBatch.endOfList(target, judged, summary) : new WatchBatch(target, judged, null));
            }
        }
    }

    private List<WatchEvent> derivedDeletions(List<String> uids, KnownObjects known) throws IOException, MalformedEventException {
        List<WatchEvent> deletions = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : known.lastObjects(uids).entrySet()) {
            byte[] event = WatchEvents.wrap(EventType.DELETED, entry.getValue());
            ParsedLine last = lineParser.parse(event);
            deletions.add(new WatchEvent(EventType.DELETED, Origin.LIST, entry.getKey(), last.namespace() == null ? "" : last.namespace(),
                    last.name(), known.resourceVersionOf(entry.getKey()), event, last.attribution()));
        }
        return deletions;
    }
}
