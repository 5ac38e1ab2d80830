package io.kube2kafka.publish;

import io.kube2kafka.testing.Await;
import io.kube2kafka.watch.ApiResource;
import io.kube2kafka.watch.EventType;
import io.kube2kafka.watch.Origin;
import io.kube2kafka.watch.WatchBatch;
import io.kube2kafka.watch.WatchEvent;
import io.kube2kafka.watch.WatchTarget;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchQueueTest {
    private static final WatchTarget PODS = new WatchTarget("c", new ApiResource("", "v1", "pods", "Pod", true), "", "", "");

    private static WatchBatch batchOf(int events, int bytesEach) {
        List<WatchEvent> list = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            list.add(new WatchEvent(EventType.ADDED, Origin.LIST, "u" + i, "", "p" + i, Integer.toString(i), new byte[bytesEach]));
        }
        return new WatchBatch(PODS, list, null);
    }

    @Test
    void aBatchLargerThanTheWholeBoundIsAcceptedAndTheNextWaitsForItsRelease() throws Exception {
        BatchQueue queue = new BatchQueue(1024 * 1024);
        WatchBatch page = batchOf(500, 5 * 1024); // a list page of 500 objects of 5 KB: 2.5 MB
        queue.put(page);
        Thread second = new Thread(() -> {
            try {
                queue.put(batchOf(1, 100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        second.start();
        Await.until(() -> second.getState() == Thread.State.WAITING, Duration.ofSeconds(10), "the second put waits for room");
        assertEquals(List.of(page), queue.take(10_000, Duration.ZERO));
        queue.release(List.of(page));
        second.join(10_000);
        assertEquals(1, queue.size(), "the second batch got in once the first was released");
    }

    @Test
    void takeStopsNearMaxEventsAndAWakeUpEndsAWaitEmptyHanded() throws Exception {
        BatchQueue queue = new BatchQueue(64 * 1024 * 1024);
        for (int i = 0; i < 5; i++) {
            queue.put(batchOf(3, 10));
        }
        assertEquals(2, queue.take(4, Duration.ZERO).size(), "3 + 3 events reach the limit of 4");
        assertEquals(3, queue.take(100, Duration.ZERO).size());
        queue.wakeUp();
        assertTrue(queue.take(100, Duration.ofSeconds(30)).isEmpty(), "a wake-up returns at once, with nothing");
    }
}
