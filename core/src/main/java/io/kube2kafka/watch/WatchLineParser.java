package io.kube2kafka.watch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * Reads from one event line only what the bridge needs (type, the object's metadata and who last
 * wrote it, an ERROR's status) with Jackson's streaming parser. The line's bytes are forwarded as
 * they are, so they are never decoded into a tree on this path.
 *
 * <p>It stops as soon as it knows enough: for an object event, at the end of its metadata. The API
 * server writes kind, apiVersion and metadata first, and ObjectMeta's last field is managedFields
 * (Go's encoding/json writes struct fields in declaration order, and ManagedFields is declared last
 * in ObjectMeta, k8s.io/apimachinery/pkg/apis/meta/v1/types.go), so the parse reads the metadata's
 * first fields, skips labels and annotations, and reads the attribution from managedFields with
 * {@link ManagedFieldsScanner}; spec and status are never looked at. The rest of the line is not
 * validated as JSON then, only that it ends like an object; the line reader has already made sure
 * it is complete. An ERROR event is read whole, because its Status fields come after metadata.
 */
public final class WatchLineParser {
    /**
     * With Jackson's default field-name canonicalisation: without it, Jackson parses bytes through a
     * Reader (slower, and without byte offsets). Reading managedFields with {@link ManagedFieldsScanner}
     * and stopping at its end keeps its unbounded field names (k:{"uid":"..."}) out of the shared
     * symbol table, which otherwise grew and was copied on nearly every line (docs/benchmark.md, decode cost).
     */
    private final JsonFactory json = new JsonFactory();

    /**
     * What one line says. Fields the line lacks, or that come after what the bridge needs, are null.
     *
     * @param attribution from the object's newest managedFields entry; null without managedFields
     */
    public record ParsedLine(String type, String kind, String apiVersion, String uid, String namespace, String name,
                             String resourceVersion, int statusCode, String statusReason, String statusMessage,
                             Attribution attribution) {
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
                    if (readObject(parser, line, fields, true)) {
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
                fields.resourceVersion, fields.code, fields.reason, fields.message, fields.attribution);
    }

    /**
     * Reads a whole object (a list item, whose end the caller needs).
     *
     * @param source the bytes {@code parser} reads, from offset 0
     */
    static void readObject(JsonParser parser, byte[] source, Fields fields) throws IOException, MalformedEventException {
        readObject(parser, source, fields, false);
    }

    /** @return true when it stopped early, the parser inside the object, because {@code fields} know enough */
    private static boolean readObject(JsonParser parser, byte[] source, Fields fields, boolean stopEarly)
            throws IOException, MalformedEventException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "kind" -> fields.kind = text(parser, value);
                case "apiVersion" -> fields.apiVersion = text(parser, value);
                case "metadata" -> {
                    if (readMetadata(parser, source, value, fields, stopEarly) || stopEarly && fields.objectEventKnown()) {
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

    /** @return true when it stopped early, inside the metadata, because nothing after that point can matter */
    private static boolean readMetadata(JsonParser parser, byte[] source, JsonToken start, Fields fields, boolean stopEarly)
            throws IOException, MalformedEventException {
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
                case "managedFields" -> {
                    if (value == JsonToken.START_ARRAY) {
                        ManagedFieldsScanner.Result managed =
                                ManagedFieldsScanner.scan(source, (int) parser.currentTokenLocation().getByteOffset());
                        fields.attribution = managed.attribution();
                        // Last in metadata, as the API server writes it: the metadata is read, and Jackson
                        // never tokenises the array. Anywhere else, Jackson walks over it to what follows.
                        if (stopEarly && fields.objectEventKnown() && ManagedFieldsScanner.closesObject(source, managed.end())) {
                            return true;
                        }
                    }
                    parser.skipChildren();
                }
                default -> parser.skipChildren();
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
        Attribution attribution;
        int code;
        String reason;
        String message;
    }
}
