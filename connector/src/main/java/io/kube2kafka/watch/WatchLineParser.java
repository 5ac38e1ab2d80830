package io.kube2kafka.watch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * Reads from one event line only what the bridge needs (type, the object's metadata, an ERROR's
 * status) with Jackson's streaming parser, skipping the rest of the object unread. The line's bytes
 * are forwarded as they are, so they are never decoded into a tree on this path.
 */
public final class WatchLineParser {
    private final JsonFactory json = new JsonFactory();

    /** What one line says. Fields the line lacks are null. */
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
                    readObject(parser, fields);
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

    static void readObject(JsonParser parser, Fields fields) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "kind" -> fields.kind = text(parser, value);
                case "apiVersion" -> fields.apiVersion = text(parser, value);
                case "metadata" -> readMetadata(parser, value, fields);
                // A Status (ERROR event) carries these at the top level of the object.
                case "code" -> fields.code = value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : 0;
                case "reason" -> fields.reason = text(parser, value);
                case "message" -> fields.message = text(parser, value);
                default -> parser.skipChildren();
            }
        }
    }

    private static void readMetadata(JsonParser parser, JsonToken start, Fields fields) throws IOException {
        if (start != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
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
