package io.kube2kafka.publish;

import io.kube2kafka.transform.ObjectTransform;
import io.kube2kafka.watch.ApiResource;
import io.kube2kafka.watch.Attribution;
import io.kube2kafka.watch.EventType;
import io.kube2kafka.watch.Origin;
import io.kube2kafka.watch.WatchEvent;
import io.kube2kafka.watch.WatchTarget;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The attribution headers, on every record of an event, whatever the transform does to the value. */
class RecordFactoryAttributionTest {
    private static final WatchTarget PODS = new WatchTarget("c1", new ApiResource("", "v1", "pods", "Pod", true), "", "", "");
    private static final String DELETED = "{\"type\":\"DELETED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{"
            + "\"name\":\"web-1\",\"namespace\":\"shop\",\"uid\":\"u-1\",\"resourceVersion\":\"7\",\"managedFields\":[{\"manager\":"
            + "\"kubectl-edit\",\"operation\":\"Update\",\"time\":\"2026-11-30T10:00:00Z\"}]}}}";

    private static RecordFactory factory(boolean dropManagedFields) {
        return new RecordFactory(new TopicNames("k8s.{cluster}.{group}.{resource}"), new ObjectTransform(false, dropManagedFields),
                true, 1 << 20, false);
    }

    private static WatchEvent deleted(Attribution attribution) {
        return new WatchEvent(EventType.DELETED, Origin.WATCH, "u-1", "shop", "web-1", "7", DELETED.getBytes(StandardCharsets.UTF_8),
                attribution);
    }

    @Test
    void everyRecordOfTheEventNamesTheWriterEvenWhenManagedFieldsAreDropped() {
        List<RecordFactory.Outgoing> records = factory(true)
                .outgoing(PODS, deleted(new Attribution("kubectl-edit", "Update", "2026-11-30T10:00:00Z")));
        assertEquals(2, records.size(), "the DELETED and its tombstone");
        assertFalse(new String(records.get(0).value(), StandardCharsets.UTF_8).contains("managedFields"), "the value lost managedFields");
        for (RecordFactory.Outgoing record : records) {
            assertEquals("kubectl-edit", record.headerValues().get(HeaderNames.MANAGER));
            assertEquals("Update", record.headerValues().get(HeaderNames.OPERATION));
            assertEquals("2026-11-30T10:00:00Z", record.headerValues().get(HeaderNames.CHANGED_AT));
        }
    }

    @Test
    void withoutAttributionThereAreNoAttributionHeaders() {
        for (RecordFactory.Outgoing record : factory(false).outgoing(PODS, deleted(null))) {
            assertNull(record.headerValues().get(HeaderNames.MANAGER));
            assertNull(record.headerValues().get(HeaderNames.OPERATION));
            assertNull(record.headerValues().get(HeaderNames.CHANGED_AT));
        }
        RecordFactory.Outgoing partial = factory(false).outgoing(PODS, deleted(new Attribution("m", null, null))).get(0);
        assertEquals("m", partial.headerValues().get(HeaderNames.MANAGER));
        assertFalse(partial.headerValues().containsKey(HeaderNames.CHANGED_AT), "an entry without a time gives no k8s.changed-at");
    }

    /** The producer's records carry the same headers, in the same order, as the records Connect gets. */
    @Test
    void theProducersRecordsCarryEveryHeaderInOrder() {
        RecordFactory factory = factory(false);
        WatchEvent event = deleted(new Attribution("kubectl-edit", "Update", "2026-11-30T10:00:00Z"));
        List<RecordFactory.Outgoing> expected = factory.outgoing(PODS, event);
        var records = factory.records(PODS, event);
        assertEquals(expected.size(), records.size());
        for (int i = 0; i < records.size(); i++) {
            List<String> headers = new java.util.ArrayList<>();
            records.get(i).headers().forEach(h -> headers.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8)));
            assertEquals(expected.get(i).headerValues().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(), headers);
        }
    }
}
