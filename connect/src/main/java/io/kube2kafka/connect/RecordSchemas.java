package io.kube2kafka.connect;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Connect schemas of record keys and values, chosen so that the connector's converters write
 * exactly the bytes the standalone bridge writes: the uid, and the watch event's JSON.
 *
 * <p>The choice follows the connector's own {@code key.converter} and {@code value.converter}:
 * StringConverter gets a string (given a byte array it would write its Java name, "[B@1b2c3d"), and
 * ByteArrayConverter gets bytes (it refuses anything else). Any other converter rewrites what it is
 * given: JsonConverter writes bytes as a base64 string and a string as a quoted JSON string, Avro and
 * Protobuf converters add their own framing. So JsonConverter is refused outright, and another
 * converter only when {@code output.schema} says which schema it passes through unchanged (a
 * converter of the user's own). Without a converter on the connector the worker's applies, which a
 * connector cannot see: then {@code output.schema} (default bytes) decides.
 */
final class RecordSchemas {
    static final String STRING_CONVERTER = "org.apache.kafka.connect.storage.StringConverter";
    static final String BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";
    static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";
    static final String KEY_CONVERTER = "key.converter";
    static final String VALUE_CONVERTER = "value.converter";
    static final String HEADER_CONVERTER = "header.converter";

    private final boolean stringKey;
    private final boolean stringValue;

    private RecordSchemas(boolean stringKey, boolean stringValue) {
        this.stringKey = stringKey;
        this.stringValue = stringValue;
    }

    /** @throws ConfigException naming the first problem {@link #problems} finds */
    static RecordSchemas of(Map<String, String> props) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        Boolean key = stringSchema(props, KEY_CONVERTER, "key (the uid)", problems);
        Boolean value = stringSchema(props, VALUE_CONVERTER, "value (the watch event's JSON)", problems);
        if (!problems.isEmpty()) {
            Map.Entry<String, List<String>> first = problems.entrySet().iterator().next();
            throw new ConfigException(first.getKey(), props.get(first.getKey()), first.getValue().get(0));
        }
        return new RecordSchemas(key, value);
    }

    /** Converter settings that would not write the bridge's bytes, by key. */
    static Map<String, List<String>> problems(Map<String, String> props) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        stringSchema(props, KEY_CONVERTER, "key (the uid)", problems);
        stringSchema(props, VALUE_CONVERTER, "value (the watch event's JSON)", problems);
        if (JSON_CONVERTER.equals(trimmed(props.get(HEADER_CONVERTER)))) {
            add(problems, HEADER_CONVERTER, "JsonConverter would write every header as a quoted JSON string, not the "
                    + "UTF-8 text the bridge writes; leave header.converter out (SimpleHeaderConverter) or use " + STRING_CONVERTER);
        }
        return problems;
    }

    /** True for a string schema, false for bytes, null when the converter cannot write the bridge's bytes. */
    private static Boolean stringSchema(Map<String, String> props, String converterKey, String part,
                                        Map<String, List<String>> problems) {
        String converter = trimmed(props.get(converterKey));
        String explicit = trimmed(props.get(KubernetesSourceConfig.SCHEMA_CONFIG));
        String schema = KubernetesSourceConfig.SCHEMA_CONFIG;
        if (converter == null) {
            return "string".equals(explicit);
        }
        switch (converter) {
            case STRING_CONVERTER -> {
                if ("bytes".equals(explicit)) {
                    add(problems, schema, schema + "=bytes with " + converterKey + "=StringConverter would write every " + part
                            + " as a Java object name ([B@...); leave " + schema + " out, the converter decides");
                }
                return true;
            }
            case BYTE_ARRAY_CONVERTER -> {
                if ("string".equals(explicit)) {
                    add(problems, schema, schema + "=string with " + converterKey + "=ByteArrayConverter would fail every record "
                            + "(it takes bytes only); leave " + schema + " out, the converter decides");
                }
                return false;
            }
            case JSON_CONVERTER -> {
                add(problems, converterKey, "JsonConverter would write every " + part + " as a base64 string (bytes schema) "
                        + "or a quoted JSON string (string schema), never the bytes the bridge writes; use "
                        + STRING_CONVERTER + " or " + BYTE_ARRAY_CONVERTER);
                return null;
            }
            default -> {
                if (explicit == null) {
                    add(problems, converterKey, converter + " is not known to write a " + part + " unchanged; use "
                            + STRING_CONVERTER + " or " + BYTE_ARRAY_CONVERTER + ", or set " + schema
                            + " to the schema (bytes or string) this converter writes unchanged");
                    return null;
                }
                return "string".equals(explicit);
            }
        }
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static void add(Map<String, List<String>> problems, String key, String problem) {
        problems.computeIfAbsent(key, k -> new ArrayList<>()).add(problem);
    }

    Schema keySchema() {
        return stringKey ? Schema.STRING_SCHEMA : Schema.BYTES_SCHEMA;
    }

    Object key(byte[] uid) {
        return stringKey ? new String(uid, StandardCharsets.UTF_8) : uid;
    }

    /** Optional: a tombstone's value is null. */
    Schema valueSchema() {
        return stringValue ? Schema.OPTIONAL_STRING_SCHEMA : Schema.OPTIONAL_BYTES_SCHEMA;
    }

    Object value(byte[] event) {
        return event == null ? null : stringValue ? new String(event, StandardCharsets.UTF_8) : event;
    }
}
