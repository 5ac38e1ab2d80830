package io.kube2kafka.watch;

import java.nio.charset.StandardCharsets;

/** Builds the bytes of events the bridge derives itself (from a list, or a deletion found by a list). */
public final class WatchEvents {
    private WatchEvents() {
    }

    /** {"type":TYPE,"object":OBJECT}, the shape the API server streams. */
    public static byte[] wrap(EventType type, byte[] objectJson) {
        byte[] prefix = ("{\"type\":\"" + type.name() + "\",\"object\":").getBytes(StandardCharsets.US_ASCII);
        byte[] event = new byte[prefix.length + objectJson.length + 1];
        System.arraycopy(prefix, 0, event, 0, prefix.length);
        System.arraycopy(objectJson, 0, event, prefix.length, objectJson.length);
        event[event.length - 1] = '}';
        return event;
    }
}
