package io.kube2kafka.watch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one page of a list response with the streaming parser and turns each item into the bytes of
 * a watch event, {"type":"ADDED","object":{...}}, without decoding items into trees.
 *
 * <p>Built-in resources list their items without kind and apiVersion (only CRD lists carry them);
 * the bridge inserts them, so a listed object looks like a watched one.
 */
public final class ListPageParser {
    private final JsonFactory json = new JsonFactory();

    /**
     * An item, with kind and apiVersion, plus the metadata the bridge needs.
     *
     * @param attribution from the item's newest managedFields entry, as for a watched object; null without managedFields
     */
    public record ListedObject(String uid, String namespace, String name, String resourceVersion, byte[] objectJson,
                               Attribution attribution) {

        /** The item as the bytes of a watch event of the given type. */
        public byte[] eventJson(EventType type) {
            return WatchEvents.wrap(type, objectJson);
        }
    }

    /** @param continueToken null on the last page */
    public record ListPage(String resourceVersion, String continueToken, List<ListedObject> items) {
    }

    public ListPage parse(byte[] body, ApiResource resource) throws MalformedEventException {
        String resourceVersion = null;
        String continueToken = null;
        List<ListedObject> items = new ArrayList<>();
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEventException("list response is not a JSON object", null);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("metadata".equals(field) && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String metaField = parser.currentName();
                        JsonToken metaValue = parser.nextToken();
                        if ("resourceVersion".equals(metaField) && metaValue == JsonToken.VALUE_STRING) {
                            resourceVersion = parser.getText();
                        } else if ("continue".equals(metaField) && metaValue == JsonToken.VALUE_STRING) {
                            continueToken = parser.getText().isEmpty() ? null : parser.getText();
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else if ("items".equals(field) && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        items.add(item(parser, body, resource));
                    }
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new MalformedEventException("list response is not valid JSON: " + e.getMessage(), e);
        }
        if (resourceVersion == null) {
            throw new MalformedEventException("list response has no metadata.resourceVersion", null);
        }
        return new ListPage(resourceVersion, continueToken, items);
    }

    private static ListedObject item(JsonParser parser, byte[] body, ApiResource resource)
            throws IOException, MalformedEventException {
        int start = (int) parser.currentTokenLocation().getByteOffset();
        WatchLineParser.Fields fields = new WatchLineParser.Fields();
        int end = WatchLineParser.readObject(body, start, fields);
        // Jackson walks the item too: the page's own structure, and the item checked as JSON before it is published.
        parser.skipChildren();
        if ((int) parser.currentTokenLocation().getByteOffset() + 1 != end) {
            throw new MalformedEventException("list item at byte " + start + " ends at byte " + end
                    + " by its brackets but at byte " + (parser.currentTokenLocation().getByteOffset() + 1) + " as JSON", null);
        }
        if (fields.uid == null || fields.resourceVersion == null) {
            throw new MalformedEventException("list item without metadata.uid or metadata.resourceVersion"
                    + (fields.name == null ? "" : " (name " + fields.name + ")"), null);
        }
        ByteArrayOutputStream object = new ByteArrayOutputStream(end - start + 64);
        object.write('{');
        StringBuilder missing = new StringBuilder();
        if (fields.kind == null) {
            missing.append("\"kind\":\"").append(resource.kind()).append('"');
        }
        if (fields.apiVersion == null) {
            missing.append(missing.length() > 0 ? "," : "").append("\"apiVersion\":\"").append(resource.groupVersion()).append('"');
        }
        object.writeBytes(missing.toString().getBytes(StandardCharsets.UTF_8));
        // body[start] is the item's '{'; an item with fields needs a comma after the inserted ones.
        if (missing.length() > 0 && !isEmptyObject(body, start, end)) {
            object.write(',');
        }
        object.write(body, start + 1, end - start - 1);
        return new ListedObject(fields.uid, fields.namespace == null ? "" : fields.namespace, fields.name,
                fields.resourceVersion, object.toByteArray(), fields.attribution);
    }

    private static boolean isEmptyObject(byte[] body, int start, int end) {
        for (int i = start + 1; i < end - 1; i++) {
            if (!Character.isWhitespace(body[i])) {
                return false;
            }
        }
        return true;
    }
}
