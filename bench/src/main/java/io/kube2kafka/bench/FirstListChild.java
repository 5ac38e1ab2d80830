package io.kube2kafka.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.config.BridgeSettings;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child JVM of section 3: starts the bridge on an empty topic, so it lists every object, and
 * reports on stdout how long the list took, when the last listed object was committed, and the heap.
 *
 * <p>Args: apiServerUrl bootstrapServers cluster objects pageSize
 */
public final class FirstListChild {
    private FirstListChild() {
    }

    public static void main(String[] args) throws Exception {
        AtomicLong maxLiveAfterGc = new AtomicLong();
        watchGarbageCollections(maxLiveAfterGc);
        int objects = Integer.parseInt(args[3]);
        BridgeSettings settings = BridgeRun.settings(java.net.URI.create(args[0]), args[1], args[2],
                "watch.page-size = " + Integer.parseInt(args[4]));
        long started = System.nanoTime();
        Bridge bridge = BridgeRun.startWatching(settings);
        long listedNanos = System.nanoTime() - started;
        BridgeRun.await(() -> bridge.publisher().stats().events() >= objects, 1_200_000, objects + " listed objects to be committed");
        long committedNanos = System.nanoTime() - started;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.gc();
        long retained = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("completed=true objects=%d listMs=%d committedMs=%d events=%d peakHeapPoolsMB=%.1f maxLiveAfterGcMB=%.1f"
                        + " retainedAfterListMB=%.1f maxHeapMB=%.0f%n",
                objects, listedNanos / 1_000_000, committedNanos / 1_000_000, bridge.publisher().stats().events(),
                peak / 1e6, maxLiveAfterGc.get() / 1e6, retained / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
        System.out.flush();
        bridge.close();
        System.exit(0);
    }

    /** The largest heap in use right after a collection: the live set, unlike pool peaks that include garbage. */
    private static void watchGarbageCollections(AtomicLong maxLiveAfterGc) {
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long used = 0;
                for (java.util.Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(pool.getKey())) {
                        used += pool.getValue().getUsed();
                    }
                }
                maxLiveAfterGc.accumulateAndGet(used, Math::max);
            }, null, null);
        }
    }
}
