package io.kube2kafka.bench;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** A child JVM's heap: the live set (largest heap right after any GC), pool peaks, and what a full GC leaves. */
final class HeapWatch {
    private final AtomicLong maxLiveAfterGc = new AtomicLong();
    private final AtomicLong fullGcs = new AtomicLong();
    private final AtomicLong maxAfterFullGc = new AtomicLong();

    /** Starts listening to GC notifications. */
    HeapWatch() {
        Set<String> heapPools = new HashSet<>();
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
                for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(pool.getKey())) {
                        used += pool.getValue().getUsed();
                    }
                }
                maxLiveAfterGc.accumulateAndGet(used, Math::max);
                // A full collection forced by a full heap ("end of major GC": G1's Full GC) marks everything, so what it
                // leaves is the true live set; a young pause that failed to evacuate leaves a full heap, which is not.
                if (info.getGcAction().equals("end of major GC") && !info.getGcCause().equals("System.gc()")) {
                    fullGcs.incrementAndGet();
                    maxAfterFullGc.accumulateAndGet(used, Math::max);
                }
            }, null, null);
        }
    }

    /** The largest heap in use right after a collection: the live set, unlike pool peaks that include garbage. */
    long maxLiveAfterGc() {
        return maxLiveAfterGc.get();
    }

    /** Full collections the heap forced (explicit System.gc() not counted). */
    long fullGcs() {
        return fullGcs.get();
    }

    /** The largest heap right after one of {@link #fullGcs()}: the live set at its worst, 0 when there was none. */
    long maxAfterFullGc() {
        return maxAfterFullGc.get();
    }

    /** Forgets what was seen so far, and the pools' peaks: what a child measured before its bridge started is not the bridge's. */
    void reset() {
        maxLiveAfterGc.set(0);
        fullGcs.set(0);
        maxAfterFullGc.set(0);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    static long poolPeaks() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /** The heap in use after a full collection. */
    static long retained() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
