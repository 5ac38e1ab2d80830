package io.kube2kafka.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A request on the signal topic ({@code kafka.signal-topic}): {@code {"type":"reconcile"|"resnapshot","watch":W|"*"}},
 * W being a watch as {@code ./kube2kafka checkpoints} names it. Written by {@code ./kube2kafka signal} and read
 * by every bridge and Connect task, through this one class.
 *
 * @param watch a watch key, or {@link #EVERY_WATCH}
 */
public record Signal(Type type, String watch) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The watch that means every watch. */
    public static final String EVERY_WATCH = "*";

    /** What a signal asks for. */
    public enum Type {
        /** List and compare; publish only the differences. */
        RECONCILE,
        /** Publish every live object again, with kube2kafka.origin=snapshot. */
        RESNAPSHOT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @return null for anything but reconcile or resnapshot */
        public static Type parse(String label) {
            for (Type type : values()) {
                if (type.label().equals(label)) {
                    return type;
                }
            }
            return null;
        }
    }

    public boolean everyWatch() {
        return EVERY_WATCH.equals(watch);
    }

    /** The cluster a watch key names (its part before the first '/'), or null for {@link #EVERY_WATCH}. */
    public String cluster() {
        return clusterOf(watch);
    }

    /** The cluster a watch key names (its part before the first '/'), or null for {@link #EVERY_WATCH}. */
    public static String clusterOf(String watch) {
        if (EVERY_WATCH.equals(watch)) {
            return null;
        }
        int slash = watch.indexOf('/');
        return slash < 0 ? watch : watch.substring(0, slash);
    }

    public byte[] toJson() {
        ObjectNode value = JSON.createObjectNode();
        value.put("type", type.label());
        value.put("watch", watch);
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @throws MalformedSignalException naming what is wrong, and the watch when that much could be read
     */
    public static Signal parse(byte[] value) throws MalformedSignalException {
        if (value == null) {
            throw new MalformedSignalException(null, "a record without a value");
        }
        JsonNode json;
        try {
            json = JSON.readTree(value);
        } catch (IOException e) {
            throw new MalformedSignalException(null, "not JSON: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw new MalformedSignalException(null, "not a JSON object");
        }
        JsonNode watch = json.get("watch");
        String named = watch != null && watch.isTextual() && !watch.asText().isEmpty() ? watch.asText() : null;
        if (named == null) {
            throw new MalformedSignalException(null, "\"watch\" must be a watch (as ./kube2kafka checkpoints names it) or \"*\"");
        }
        Type type = json.hasNonNull("type") ? Type.parse(json.get("type").asText()) : null;
        if (type == null) {
            throw new MalformedSignalException(named, "\"type\" must be \"reconcile\" or \"resnapshot\", not " + json.get("type"));
        }
        return new Signal(type, named);
    }

    /** A signal that cannot be acted on; {@link #watch()} is what it named, null when nothing could be read. */
    public static final class MalformedSignalException extends Exception {
        private final String watch;

        MalformedSignalException(String watch, String problem) {
            super(problem);
            this.watch = watch;
        }

        public String watch() {
            return watch;
        }
    }
}
