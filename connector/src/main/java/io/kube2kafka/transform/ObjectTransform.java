package io.kube2kafka.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube2kafka.watch.ApiResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The configured changes to an event's object: Secret values redacted, managedFields dropped. Only a
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

    public ObjectTransform(boolean redactSecrets, boolean dropManagedFields) {
        this.redactSecrets = redactSecrets;
        this.dropManagedFields = dropManagedFields;
    }

    /** Whether events of this resource are changed at all (decided once per watch, not per event). */
    public boolean appliesTo(ApiResource resource) {
        return dropManagedFields || redactSecrets && isSecret(resource);
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
