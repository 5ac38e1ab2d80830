package io.kube2kafka.connect;

import io.kube2kafka.watch.ApiResource;
import io.kube2kafka.watch.ListCause;
import io.kube2kafka.watch.ResumePoint;
import io.kube2kafka.watch.WatchTarget;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A watch the connector found by discovery while it ran lists first saying so; with an offset it resumes. */
class DiscoveredWatchesTest {
    private static final WatchTarget GADGETS = new WatchTarget("c", new ApiResource("example.com", "v1", "gadgets", "Gadget", true), "", "", "");
    private static final WatchTarget PODS = new WatchTarget("c", new ApiResource("", "v1", "pods", "Pod", true), "", "", "");

    @Test
    void onlyADiscoveredWatchWithoutOffsetListsForThatReason() {
        Map<String, String> task = Map.of(WatchAssignment.DISCOVERED_CONFIG,
                WatchAssignment.encodeDiscovered(List.of(GADGETS, PODS), Set.of(GADGETS.key())));
        assertEquals(ListCause.DISCOVERED, WatchAssignment.resumePoint(GADGETS, ResumePoint.of(null), task).listCause());
        assertEquals(ListCause.FIRST_START, WatchAssignment.resumePoint(PODS, ResumePoint.of(null), task).listCause());
        assertEquals("42", WatchAssignment.resumePoint(GADGETS, ResumePoint.of("42"), task).resourceVersion(),
                "once it committed an offset it resumes like any other");
        assertEquals(ListCause.FIRST_START, WatchAssignment.resumePoint(GADGETS, ResumePoint.of(null), Map.of()).listCause(),
                "a task configured before this key existed");
    }
}
