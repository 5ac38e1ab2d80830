package io.kube2kafka.watch;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which bookmark ends a WatchList stream's initial events, as client-go decides it, and re-tagging a line's object. */
class InitialEventsLineTest {

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void onlyTheAnnotationWithTheValueTrueEndsTheInitialEvents() throws Exception {
        assertTrue(InitialEventsLine.endsInitialEvents(bytes("{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\","
                + "\"metadata\":{\"resourceVersion\":\"1042\",\"annotations\":{\"other\":\"x\",\"k8s.io/initial-events-end\":\"true\"}}}}")));
        assertFalse(InitialEventsLine.endsInitialEvents(bytes("{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"1\","
                + "\"annotations\":{\"k8s.io/initial-events-end\":\"false\"}}}}")), "\"false\" is no end");
        assertFalse(InitialEventsLine.endsInitialEvents(bytes("{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"1\"}}}")),
                "an ordinary bookmark");
        assertFalse(InitialEventsLine.endsInitialEvents(bytes("{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"1\","
                + "\"labels\":{\"k8s.io/initial-events-end\":\"true\"}}}}")), "a label is no annotation");
    }

    @Test
    void theObjectOfALineIsItsBytesAsTheyAre() throws Exception {
        String object = "{\"kind\":\"Pod\",\"metadata\":{\"uid\":\"u\",\"name\":\"a \\\"b\\\" }\"}}";
        byte[] line = bytes("{\"type\":\"ADDED\",\"object\":" + object + "}");
        assertEquals(object, new String(InitialEventsLine.object(line), StandardCharsets.UTF_8));
        assertEquals("{\"type\":\"MODIFIED\",\"object\":" + object + "}",
                new String(WatchEvents.wrap(EventType.MODIFIED, InitialEventsLine.object(line)), StandardCharsets.UTF_8));
        assertThrows(MalformedEventException.class, () -> InitialEventsLine.object(bytes("{\"type\":\"ADDED\"}")));
    }
}
