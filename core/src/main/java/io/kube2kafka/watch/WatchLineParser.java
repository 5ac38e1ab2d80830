package io.kube2kafka.watch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * Reads from one event line only what the bridge needs (type, the object's metadata, an ERROR's
 * status) with Jackson's streaming parser. The line's bytes are forwarded as they are, so they are
 * never decoded into a tree on this path.
 *
 * <p>It stops as soon as it knows enough: for an object event, once the type, uid, name, namespace
 * and resourceVersion are read (for a cluster-scoped object, at the end of its metadata). The API
 * server writes kind, apiVersion and metadata first, so of a 5 KB pod only the first few hundred
 * bytes are tokenised; spec, status and managedFields are never looked at. The rest of the line is
 * not validated as JSON then, only that it ends like an object; the line reader has already made
 * sure it is complete. An ERROR event is read whole, because its Status fields come after metadata.
 */
public final class WatchLineParser {
    /**
     * With Jackson's default field-name canonicalisation: without it, Jackson parses bytes through a
     * Reader (slower, and without byte offsets). Stopping early also keeps the unbounded field names
     * of managedFields (k:{"uid":"..."}) out of the shared symbol table, which otherwise grew and was
     * copied on nearly every line (docs/benchmark.md, decode cost).
     */
    private final JsonFactory json = new JsonFactory();

    /** What one line says. Fields the line lacks, or that come after what the bridge needs, are null. */
    public record ParsedLine(String type, String kind, String apiVersion, String uid, String namespace, String name,
                             String resourceVersion, int statusCode, String statusReason, String statusMessage) {
    }

    public ParsedLine parse(byte[] line) throws MalformedEventException {
        Fields fields = new Fields();
        try (JsonParser parser = json.createParser(line)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT, "an event object");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("type".equals(field) && value == JsonToken.VALUE_STRING) {
                    fields.type = parser.getText();
                } else if ("object".equals(field) && value == JsonToken.START_OBJECT) {
                    if (readObject(parser, fields, true)) {
                        requireObjectEnd(line);
                        break;
                    }
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new MalformedEventException("not a JSON watch event: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
        if (fields.type == null) {
            throw new MalformedEventException("watch event has no \"type\"", null);
        }
        return new ParsedLine(fields.type, fields.kind, fields.apiVersion, fields.uid, fields.namespace, fields.name,
                fields.resourceVersion, fields.code, fields.reason, fields.message);
    }

    /** Reads a whole object (a list item, whose end the caller needs). */
    static void readObject(JsonParser parser, Fields fields) throws IOException {
        readObject(parser, fields, false);
    }

    /** @return true when it stopped early, the parser inside the object, because {@code fields} know enough */
    private static boolean readObject(JsonParser parser, Fields fields, boolean stopEarly) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "kind" -> fields.kind = text(parser, value);
                case "apiVersion" -> fields.apiVersion = text(parser, value);
                case "metadata" -> {
                    if (readMetadata(parser, value, fields, stopEarly) || stopEarly && fields.objectEventKnown()) {
                        return true;
                    }
                }
                // A Status (ERROR event) carries these at the top level of the object.
                case "code" -> fields.code = value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : 0;
                case "reason" -> fields.reason = text(parser, value);
                case "message" -> fields.message = text(parser, value);
                default -> parser.skipChildren();
            }
        }
        return false;
    }

    private static boolean readMetadata(JsonParser parser, JsonToken start, Fields fields, boolean stopEarly) throws IOException {
        if (start != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return false;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "uid" -> fields.uid = text(parser, value);
                case "name" -> fields.name = text(parser, value);
                case "namespace" -> fields.namespace = text(parser, value);
                case "resourceVersion" -> fields.resourceVersion = text(parser, value);
                default -> parser.skipChildren();
            }
            if (stopEarly && fields.objectEventKnown() && fields.namespace != null && fields.uid != null
                    && fields.name != null && fields.resourceVersion != null) {
                return true;
            }
        }
        return false;
    }

    /** A line the parser left early must still end like the event object it started as. */
    private static void requireObjectEnd(byte[] line) throws MalformedEventException {
        int last = line.length - 1;
        while (last >= 0 && (line[last] == ' ' || line[last] == '\t' || line[last] == '\r' || line[last] == '\n')) {
            last--;
        }
        if (last < 0 || line[last] != '}') {
            throw new MalformedEventException("watch event line does not end with '}'", null);
        }
    }

    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    private static void expect(JsonToken actual, JsonToken expected, String what) throws MalformedEventException {
        if (actual != expected) {
            throw new MalformedEventException("expected " + what + " but found " + actual, null);
        }
    }

    static final class Fields {
        /**
         * True when the rest of the object cannot matter: the type is known and is not ERROR
         * (whose Status fields follow its metadata).
         */
        boolean objectEventKnown() {
            return type != null && !"ERROR".equals(type);
        }

        String type;
        String kind;
        String apiVersion;
        String uid;
        String namespace;
        String name;
        String resourceVersion;
        int code;
        String reason;
        String message;
    }
}
