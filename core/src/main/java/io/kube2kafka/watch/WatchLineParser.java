package io.kube2kafka.watch;

/**
 * Reads from one event line only what the bridge needs: the type, the object's kind, apiVersion and
 * metadata (uid, name, namespace, resourceVersion, and who last wrote it), an ERROR's status. The
 * line's bytes are forwarded as they are, so they are never decoded into a tree on this path.
 *
 * <p>It stops as soon as it knows enough: for an object event, at the end of its metadata. The API
 * server writes kind, apiVersion and metadata first (Go's encoding/json writes struct fields in
 * declaration order), so of a 5 KB pod the parse reads the envelope and the metadata, and spec and
 * status are never looked at. ObjectMeta declares ManagedFields last
 * (k8s.io/apimachinery/pkg/apis/meta/v1/types.go), so the attribution is the last thing read. The
 * rest of the line is not validated as JSON then, only that it ends like an object; the line reader
 * has already made sure it is complete. An ERROR event is read whole, because its Status fields come
 * after metadata. {@link JsonScanner} says why this is not Jackson's streaming parser.
 */
public final class WatchLineParser {
    /** Types, kinds, namespaces, managers: the same few strings on line after line of one watch. */
    private final RecentStrings recent = new RecentStrings();

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
        JsonScanner in = new JsonScanner(line, 0, recent);
        try {
            if (in.enterObject("an event object")) {
                do {
                    in.key();
                    byte value = in.peek();
                    if (in.keyIs("type") && value == '"') {
                        fields.type = in.repeatedString();
                    } else if (in.keyIs("object") && value == '{') {
                        if (readObject(in, fields, true)) {
                            requireObjectEnd(line);
                            break;
                        }
                    } else {
                        in.skipValue();
                    }
                } while (in.more('}'));
            }
        } catch (MalformedEventException e) {
            throw new MalformedEventException("not a JSON watch event: " + e.getMessage(), e);
        }
        if (fields.type == null) {
            throw new MalformedEventException("watch event has no \"type\"", null);
        }
        return new ParsedLine(fields.type, fields.kind, fields.apiVersion, fields.uid, fields.namespace, fields.name,
                fields.resourceVersion, fields.code, fields.reason, fields.message, fields.attribution);
    }

    /**
     * Where the JSON value that starts at {@code start} ends, found the way the parse skips what it does
     * not keep. For the benchmark's floor of a parse that must reach managedFields (docs/benchmark.md).
     *
     * @return the index just after the value
     */
    public static int endOfValue(byte[] json, int start) throws MalformedEventException {
        JsonScanner in = new JsonScanner(json, start);
        in.skipValue();
        return in.position();
    }

    /**
     * Reads a whole object (a list item) whose '{' is at {@code start}.
     *
     * @return the index just after its closing '}'
     */
    static int readObject(byte[] source, int start, Fields fields) throws MalformedEventException {
        JsonScanner in = new JsonScanner(source, start);
        readObject(in, fields, false);
        return in.position();
    }

    /** @return true when it stopped early, inside the object, because {@code fields} know enough */
    private static boolean readObject(JsonScanner in, Fields fields, boolean stopEarly) throws MalformedEventException {
        if (!in.enterObject("an object")) {
            return false;
        }
        do {
            in.key();
            byte value = in.peek();
            if (value == '"' && in.keyIs("kind")) {
                fields.kind = in.repeatedString();
            } else if (value == '"' && in.keyIs("apiVersion")) {
                fields.apiVersion = in.repeatedString();
            } else if (value == '{' && in.keyIs("metadata")) {
                readMetadata(in, fields);
                if (stopEarly && fields.objectEventKnown()) {
                    return true;
                }
            } else if (value != '"' && in.keyIs("code")) {
                // A Status (ERROR event) carries these at the top level of the object.
                fields.code = in.integer();
            } else if (value == '"' && in.keyIs("reason")) {
                fields.reason = in.string();
            } else if (value == '"' && in.keyIs("message")) {
                fields.message = in.string();
            } else {
                in.skipValue();
            }
        } while (in.more('}'));
        return false;
    }

    private static void readMetadata(JsonScanner in, Fields fields) throws MalformedEventException {
        if (!in.enterObject("metadata")) {
            return;
        }
        do {
            in.key();
            byte value = in.peek();
            if (value == '"' && in.keyIs("uid")) {
                fields.uid = in.string();
            } else if (value == '"' && in.keyIs("name")) {
                fields.name = in.string();
            } else if (value == '"' && in.keyIs("namespace")) {
                fields.namespace = in.repeatedString();
            } else if (value == '"' && in.keyIs("resourceVersion")) {
                fields.resourceVersion = in.string();
            } else if (value == '[' && in.keyIs("managedFields")) {
                fields.attribution = newestManagedFieldsEntry(in);
            } else {
                in.skipValue();
            }
        } while (in.more('}'));
    }

    /**
     * Each entry's manager, operation and time, found without decoding them: only the newest entry's
     * are decoded. fieldsV1, most of the bytes, is skipped.
     */
    private static Attribution newestManagedFieldsEntry(JsonScanner in) throws MalformedEventException {
        NewestManagedFieldsEntry newest = new NewestManagedFieldsEntry(in);
        if (!in.enterArray("managedFields")) {
            return null;
        }
        do {
            if (in.peek() != '{') {
                // Not an entry the API server would write; it says nothing about who wrote the object.
                in.skipValue();
                continue;
            }
            long manager = NewestManagedFieldsEntry.ABSENT;
            long operation = NewestManagedFieldsEntry.ABSENT;
            long time = NewestManagedFieldsEntry.ABSENT;
            if (in.enterObject("a managedFields entry")) {
                do {
                    in.key();
                    if (in.peek() != '"') {
                        in.skipValue();
                    } else if (in.keyIs("manager")) {
                        manager = in.stringSpan();
                    } else if (in.keyIs("operation")) {
                        operation = in.stringSpan();
                    } else if (in.keyIs("time")) {
                        time = in.stringSpan();
                    } else {
                        in.skipValue();
                    }
                } while (in.more('}'));
            }
            newest.offer(manager, operation, time);
        } while (in.more(']'));
        return newest.newest();
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
