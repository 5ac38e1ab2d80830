package io.kube2kafka.transform;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube2kafka.watch.ApiResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The configured changes to an event's object: Secret values redacted, managedFields and configured
 * JSON Pointers ({@code output.drop-paths}) dropped. Only a
 * configured transform that applies to the resource decodes the event; otherwise the server's bytes
 * pass through untouched.
 */
public final class ObjectTransform {
    /** What replaces each Secret value: the key stays, so consumers still see which keys exist. */
    public static final String REDACTED = "<redacted>";
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean redactSecrets;
    private final boolean dropManagedFields;
    private final List<JsonPointer> dropPaths;

    public ObjectTransform(boolean redactSecrets, boolean dropManagedFields) {
        this(redactSecrets, dropManagedFields, List.of());
    }

    /** @param dropPaths JSON Pointers into the object, validated by the settings loader */
    public ObjectTransform(boolean redactSecrets, boolean dropManagedFields, List<String> dropPaths) {
        this.redactSecrets = redactSecrets;
        this.dropManagedFields = dropManagedFields;
        this.dropPaths = dropPaths.stream().map(JsonPointer::compile).toList();
    }

    /** Whether events of this resource are changed at all (decided once per watch, not per event). */
    public boolean appliesTo(ApiResource resource) {
        return dropManagedFields || !dropPaths.isEmpty() || redactSecrets && isSecret(resource);
    }

    /** The event with its object transformed; the input when nothing applies. */
    public byte[] apply(ApiResource resource, byte[] eventJson) {
        if (!appliesTo(resource)) {
            return eventJson;
        }
        try {
            JsonNode event = JSON.readTree(eventJson);
            JsonNode object = event.path("object");
            if (!(object instanceof ObjectNode obj)) {
                return eventJson;
            }
            if (dropManagedFields && obj.path("metadata") instanceof ObjectNode metadata) {
                metadata.remove("managedFields");
            }
            for (JsonPointer path : dropPaths) {
                remove(obj, path);
            }
            if (redactSecrets && isSecret(resource)) {
                redact(obj, "data");
                redact(obj, "stringData");
                if (obj.path("metadata").path("annotations") instanceof ObjectNode annotations) {
                    annotations.remove(LAST_APPLIED);
                }
            }
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot apply output transforms to an event of " + resource.qualifiedName(), e);
        }
    }

    /** Removes what the pointer names, if it is there; a path that does not exist in this object is no error. */
    private static void remove(ObjectNode object, JsonPointer path) {
        JsonNode parent = object.at(path.head());
        String last = path.last().getMatchingProperty();
        if (parent instanceof ObjectNode fields) {
            fields.remove(last);
        } else if (parent instanceof ArrayNode items && path.last().mayMatchElement() && path.last().getMatchingIndex() < items.size()) {
            items.remove(path.last().getMatchingIndex());
        }
    }

    private static void redact(ObjectNode secret, String field) {
        if (secret.path(field) instanceof ObjectNode values) {
            Iterator<Map.Entry<String, JsonNode>> entries = values.fields();
            while (entries.hasNext()) {
                entries.next().setValue(values.textNode(REDACTED));
            }
        }
    }

    private static boolean isSecret(ApiResource resource) {
        return resource.group().isEmpty() && "secrets".equals(resource.plural());
    }
}
