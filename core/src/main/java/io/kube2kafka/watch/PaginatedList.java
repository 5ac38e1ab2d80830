package io.kube2kafka.watch;

import io.kube2kafka.watch.ListPageParser.ListPage;
import io.kube2kafka.watch.ListPageParser.ListedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One watch's list read page by page ({@code limit} and {@code continue}, as client-go's pager reads
 * it), each page compared with what downstream holds and only the difference handed on at once, so
 * memory is bounded by a page whatever the number of objects. A consistent read (no resourceVersion),
 * because the point of a relist is the truth after a gap.
 */
final class PaginatedList {
    private static final Logger log = LoggerFactory.getLogger(PaginatedList.class);
    /** A large list logs progress about this often (not every page), so it is never silent for long. */
    private static final long PROGRESS_EVERY_NANOS = 10_000_000_000L;

    private final WatchTarget target;
    private final ApiClient api;
    private final WatchSink sink;
    private final WatchStatus status;
    private final int pageSize;
    private final ListPageParser pageParser = new ListPageParser();

    PaginatedList(WatchTarget target, ApiClient api, WatchSink sink, WatchStatus status, int pageSize) {
        this.target = target;
        this.api = api;
        this.sink = sink;
        this.status = status;
        this.pageSize = pageSize;
    }

    /**
     * Reads every page into {@code comparison}, handing on each page's differences as a batch without a
     * resume point; the deletions and the list's end are the caller's ({@link ListEnding}).
     *
     * @return the list's resourceVersion (the first page's), where the watch continues
     * @throws InterruptedException when {@code stopping} turns true between pages
     */
    String read(ListComparison comparison, BooleanSupplier stopping) throws IOException, InterruptedException, MalformedEventException {
        String continueToken = null;
        String listResourceVersion = null;
        long started = System.nanoTime();
        long lastProgress = started;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("limit", Integer.toString(pageSize));
            if (continueToken != null) {
                query.put("continue", continueToken);
            }
            target.addSelectorsTo(query);
            ListPage page = pageParser.parse(api.get(target.resource().collectionPath(target.namespace()), query), target.resource());
            if (listResourceVersion == null) {
                listResourceVersion = page.resourceVersion();
            }
            List<WatchEvent> events = new ArrayList<>();
            for (ListedObject item : page.items()) {
                WatchEvent event = comparison.compare(item.uid(), item.namespace(), item.name(), item.resourceVersion(), item.attribution(),
                        item::eventJson);
                if (event != null) {
                    events.add(event);
                }
            }
            if (!events.isEmpty()) {
                sink.accept(new WatchBatch(target, events, null));
            }
            continueToken = page.continueToken();
            status.listing(comparison.listedCount());
            if (continueToken != null && System.nanoTime() - lastProgress >= PROGRESS_EVERY_NANOS) {
                lastProgress = System.nanoTime();
                log.info("{}: listed {} objects so far ({} changed, {} objects/s)", target, comparison.listedCount(), comparison.handedOn(),
                        comparison.listedCount() * 1_000_000_000L / Math.max(1, lastProgress - started));
            }
        } while (continueToken != null && !stopping.getAsBoolean());
        if (stopping.getAsBoolean()) {
            throw new InterruptedException("stopped during a list");
        }
        return listResourceVersion;
    }
}
