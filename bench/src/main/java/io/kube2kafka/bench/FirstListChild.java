package io.kube2kafka.bench;

import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.config.BridgeSettings;

/**
 * The child JVM of section 3: starts the bridge on an empty topic, so it lists every object, and
 * reports on stdout how long the list took, when the last listed object was committed, and the heap.
 *
 * <p>Args: apiServerUrl bootstrapServers cluster objects pageSize initialList (watch.initial-list: paginated or watch-list)
 */
public final class FirstListChild {
    private FirstListChild() {
    }

    public static void main(String[] args) throws Exception {
        HeapWatch heap = new HeapWatch();
        int objects = Integer.parseInt(args[3]);
        BridgeSettings settings = BridgeRun.settings(java.net.URI.create(args[0]), args[1], args[2],
                "watch.page-size = " + Integer.parseInt(args[4]) + "\n watch.initial-list = " + initialList(args[5]));
        long started = System.nanoTime();
        Bridge bridge = BridgeRun.startWatching(settings);
        long listedNanos = System.nanoTime() - started;
        BridgeRun.await(() -> bridge.publisher().stats().events() >= objects, 1_200_000, objects + " listed objects to be committed");
        long committedNanos = System.nanoTime() - started;
        long peak = HeapWatch.poolPeaks();
        long fullGcs = heap.fullGcs();
        long maxAfterFullGc = heap.maxAfterFullGc();
        long retained = HeapWatch.retained();
        System.out.printf("completed=true method=%s objects=%d listMs=%d committedMs=%d events=%d peakHeapPoolsMB=%.1f maxLiveAfterGcMB=%.1f"
                        + " fullGcs=%d maxAfterFullGcMB=%.1f retainedAfterListMB=%.1f maxHeapMB=%.0f%n",
                args[5], objects, listedNanos / 1_000_000, committedNanos / 1_000_000, bridge.publisher().stats().events(),
                peak / 1e6, heap.maxLiveAfterGc() / 1e6, fullGcs, maxAfterFullGc / 1e6, retained / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
        System.out.flush();
        bridge.close();
        System.exit(0);
    }

    /** Only the two methods, named: auto would hide which one was measured. */
    private static String initialList(String method) {
        if (!method.equals("paginated") && !method.equals("watch-list")) {
            throw new IllegalArgumentException("initialList must be paginated or watch-list, not " + method);
        }
        return method;
    }
}
