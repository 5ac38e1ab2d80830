package io.kube2kafka.bench;

import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.publish.UidTable;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.WatchStatus;

import java.util.concurrent.locks.LockSupport;

/**
 * The child JVM of the relist section: first measures what the compact index costs per object (a
 * table of as many uids and resourceVersions as the topic holds, retained heap after full GCs), then
 * starts the bridge, which resumes, gets 410, reads the topic's index, lists, compares and derives the
 * deletions; reports each phase's time and the heap on stdout.
 *
 * <p>Args: apiServerUrl bootstrapServers cluster objects deletions pageSize
 */
public final class RelistChild {
    private RelistChild() {
    }

    public static void main(String[] args) throws Exception {
        HeapWatch heap = new HeapWatch();
        int objects = Integer.parseInt(args[3]);
        int deletions = Integer.parseInt(args[4]);
        String bytesPerObject = bytesPerIndexedObject(objects);
        HeapWatch.retained();
        heap.reset();
        BridgeSettings settings = BridgeRun.settings(java.net.URI.create(args[0]), args[1], args[2],
                "watch.page-size = " + Integer.parseInt(args[5]));
        long started = System.nanoTime();
        Bridge bridge = Bridge.start(settings, Pauser.REAL);
        WatchStatus watch = bridge.watchStatuses().get(0);
        long readStart = 0;
        long readEnd = 0;
        long listed = 0;
        long deadline = started + 1_200_000_000_000L;
        // The phases, from the watch's status every 2 ms: reading the topic until the first page is
        // compared, listing until every listed object is compared, then the deletions until committed.
        while (bridge.publisher().stats().events() < deletions || watch.state() != WatchStatus.State.WATCHING) {
            long now = System.nanoTime();
            if (readStart == 0 && watch.readingTopic()) {
                readStart = now;
            }
            if (readEnd == 0 && readStart != 0 && !watch.readingTopic() && watch.listedSoFar() > 0) {
                readEnd = now;
            }
            if (listed == 0 && watch.listedSoFar() >= objects - deletions) {
                listed = now;
            }
            if (now > deadline) {
                throw new IllegalStateException("the relist did not end in 20 minutes: " + watch.describe());
            }
            LockSupport.parkNanos(2_000_000);
        }
        long done = System.nanoTime();
        long peak = HeapWatch.poolPeaks();
        long retained = HeapWatch.retained();
        System.out.printf("completed=true objects=%d deletions=%d events=%d totalMs=%d startToReadMs=%d indexReadMs=%d"
                        + " compareMs=%d deletionsMs=%d bytesPerIndexedObject=%s peakHeapPoolsMB=%.1f maxLiveAfterGcMB=%.1f"
                        + " retainedAfterMB=%.1f maxHeapMB=%.0f lists=%s%n",
                objects, deletions, bridge.publisher().stats().events(), (done - started) / 1_000_000, (readStart - started) / 1_000_000,
                (readEnd - readStart) / 1_000_000, (listed - readEnd) / 1_000_000, (done - listed) / 1_000_000, bytesPerObject,
                peak / 1e6, heap.maxLiveAfterGc() / 1e6, retained / 1e6, Runtime.getRuntime().maxMemory() / 1e6, watch.listsByCause());
        System.out.flush();
        bridge.close();
        System.exit(0);
    }

    /**
     * The retained heap of the bridge's index per object, measured: a table of as many UUID uids and
     * decimal resourceVersions as the topic holds, the heap after a full GC with and without it.
     */
    private static String bytesPerIndexedObject(int objects) {
        long before = HeapWatch.retained();
        UidTable table = new UidTable();
        for (int pod = 0; pod < objects; pod++) {
            table.put(BigCluster.uid(pod), Long.toString(1_001L + pod), pod % 3, pod);
        }
        long with = HeapWatch.retained();
        if (table.size() != objects) {
            throw new IllegalStateException("the table holds " + table.size() + " of " + objects);
        }
        // Measured, and the table's own arithmetic of its arrays: they agree for a million objects,
        // where the classes and buffers the measurement also sees are noise.
        return String.format("%.1f(arrays:%.1f)", (double) (with - before) / objects, (double) table.footprintBytes() / objects);
    }
}
