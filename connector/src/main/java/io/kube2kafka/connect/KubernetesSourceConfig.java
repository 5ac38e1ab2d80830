package io.kube2kafka.connect;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.ConfigKey;
import io.kube2kafka.config.ConfigKeys;
import io.kube2kafka.config.ConfigurationException;
import io.kube2kafka.config.SettingsLoader;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connector's configuration: the HOCON keys of {@link ConfigKeys} that mean something inside
 * Connect, flattened without the {@code kube2kafka.} prefix, with the same defaults (read from
 * reference.conf) and the same validation ({@link SettingsLoader}), so a value the bridge refuses
 * is refused here with the same message.
 *
 * <p>Left out, because Connect owns them: checkpoints (Connect's offsets), delivery and
 * transactional.id (the worker's exactly.once.source.support), topic creation (topic.creation.*),
 * the producer (producer.override.*), the embedded broker and the HTTP port.
 */
public final class KubernetesSourceConfig extends AbstractConfig {
    private static final String ROOT = "kube2kafka";

    /**
     * Connect values are strings: resources is either comma-separated kubectl names, or, to narrow
     * them, the bridge's own HOCON list in brackets, with namespaces and selectors.
     */
    public static final String RESOURCES_DOC = "Resources to stream. Either comma-separated names in kubectl spelling "
            + "(plural[.version][.group]), each watched across all namespaces: pods,deployments.apps,widgets.example.com. "
            + "Or the standalone bridge's list in brackets, to narrow them: "
            + "[ pods, { resource = deployments.apps, namespaces = [default, shop], label-selector = \"app=web\" } ]";
    public static final String BOOTSTRAP_DOC = "Bootstrap servers of the Kafka cluster the connector writes to (the worker's). "
            + "A list after a gap (first start, 410 Gone) is compared with what the topic holds, which the task reads from there.";
    public static final String MAX_BATCH_DOC = "Most events one poll() hands to Connect; with exactly-once and the poll transaction "
            + "boundary also the most events in one transaction.";
    public static final String MAX_QUEUED_DOC = "Most event bytes waiting for Connect to poll them; beyond it watchers pause, "
            + "slowing their streams to Connect's pace.";

    /** Connect-only: the schema records carry, so the chosen converter writes the event's bytes unchanged. */
    public static final String SCHEMA_CONFIG = "output.schema";
    public static final String SCHEMA_DOC = "Connect schema of record keys and values: bytes (for key/value.converter "
            + "ByteArrayConverter) or string (for StringConverter). Either way the bytes in Kafka are the uid and the event "
            + "JSON as the standalone bridge writes them. Headers are UTF-8 strings (the default SimpleHeaderConverter or StringConverter).";

    /** HOCON keys that become connector keys. */
    private static final Set<String> CONNECT_KEYS = Set.of(
            ConfigKeys.CLUSTER_CONFIG, ConfigKeys.KUBECONFIG_CONFIG, ConfigKeys.CONTEXT_CONFIG, ConfigKeys.URL_CONFIG,
            ConfigKeys.TOKEN_CONFIG, ConfigKeys.TOKEN_FILE_CONFIG, ConfigKeys.CA_FILE_CONFIG, ConfigKeys.INSECURE_CONFIG,
            ConfigKeys.HTTP2_CONFIG, ConfigKeys.PING_INTERVAL_CONFIG, ConfigKeys.RESOURCES_CONFIG, ConfigKeys.PAGE_SIZE_CONFIG, ConfigKeys.WATCH_TIMEOUT_CONFIG,
            ConfigKeys.IDLE_TIMEOUT_CONFIG, ConfigKeys.BACKOFF_INITIAL_CONFIG, ConfigKeys.BACKOFF_MAX_CONFIG,
            ConfigKeys.AUTH_BACKOFF_CONFIG, ConfigKeys.MAX_EVENT_BYTES_CONFIG, ConfigKeys.BOOTSTRAP_CONFIG,
            ConfigKeys.TOPIC_CONFIG, ConfigKeys.MAX_BATCH_CONFIG, ConfigKeys.MAX_QUEUED_CONFIG,
            ConfigKeys.TOMBSTONES_CONFIG, ConfigKeys.DROP_MANAGED_FIELDS_CONFIG, ConfigKeys.REDACT_SECRETS_CONFIG,
            ConfigKeys.OVERSIZED_CONFIG);

    private static final Map<String, String> CONNECT_DOCS = Map.of(
            ConfigKeys.RESOURCES_CONFIG, RESOURCES_DOC,
            ConfigKeys.BOOTSTRAP_CONFIG, BOOTSTRAP_DOC,
            ConfigKeys.MAX_BATCH_CONFIG, MAX_BATCH_DOC,
            ConfigKeys.MAX_QUEUED_CONFIG, MAX_QUEUED_DOC);

    private static final Set<String> HIGH = Set.of(ConfigKeys.CLUSTER_CONFIG, ConfigKeys.URL_CONFIG, ConfigKeys.KUBECONFIG_CONFIG,
            ConfigKeys.RESOURCES_CONFIG, ConfigKeys.BOOTSTRAP_CONFIG, ConfigKeys.TOPIC_CONFIG);

    public static final ConfigDef CONFIG_DEF = configDef();

    public KubernetesSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
    }

    private static ConfigDef configDef() {
        Config reference = ConfigFactory.defaultReference().getConfig(ROOT);
        ConfigDef def = new ConfigDef();
        for (ConfigKey key : ConfigKeys.ALL) {
            if (!CONNECT_KEYS.contains(key.name())) {
                continue;
            }
            Type type = switch (key.type()) {
                case BOOLEAN -> Type.BOOLEAN;
                case INT -> Type.INT;
                // Connect's LIST splits at every comma, which would cut a bracketed list apart.
                case LIST -> Type.STRING;
                // Durations and sizes keep HOCON's spelling (30s, 16MiB), so a value moves between the two unchanged.
                case STRING, DURATION, BYTES, MAP -> key.name().equals(ConfigKeys.TOKEN_CONFIG) ? Type.PASSWORD : Type.STRING;
            };
            Object defaultValue = key.name().equals(ConfigKeys.BOOTSTRAP_CONFIG)
                    ? ConfigDef.NO_DEFAULT_VALUE : referenceDefault(reference, key);
            def.define(key.name(), type, defaultValue, new SameAsBridge(),
                    HIGH.contains(key.name()) ? Importance.HIGH : Importance.MEDIUM,
                    CONNECT_DOCS.getOrDefault(key.name(), key.doc()));
        }
        def.define(SCHEMA_CONFIG, Type.STRING, "bytes", ConfigDef.ValidString.in("bytes", "string"), Importance.MEDIUM, SCHEMA_DOC);
        return def;
    }

    private static Object referenceDefault(Config reference, ConfigKey key) {
        return switch (key.type()) {
            case BOOLEAN -> reference.getBoolean(key.name());
            case INT -> reference.getInt(key.name());
            case LIST -> String.join(",", reference.getConfigList(key.name()).stream().map(r -> r.getString("resource")).toList());
            default -> String.valueOf(reference.getValue(key.name()).unwrapped());
        };
    }

    /**
     * The configuration as the standalone bridge reads it, validated by the same code.
     *
     * @throws ConfigException naming every problem
     */
    public BridgeSettings bridgeSettings() {
        try {
            return new SettingsLoader(Map.of()).from(hocon(values()), new ArrayList<>());
        } catch (ConfigurationException e) {
            throw new ConfigException(String.join("; ", e.problems()));
        }
    }

    public boolean stringSchema() {
        return "string".equals(getString(SCHEMA_CONFIG));
    }

    /**
     * Every problem the bridge's validation finds in these parsed values, by the key it names; rules
     * that span keys (backoff-max not below backoff-initial) land on the key the message starts with.
     */
    static Map<String, List<String>> problemsByKey(Map<String, Object> parsed) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        try {
            new SettingsLoader(Map.of()).from(hocon(parsed), new ArrayList<>());
        } catch (ConfigurationException e) {
            for (String problem : e.problems()) {
                byKey.computeIfAbsent(keyOf(problem), k -> new ArrayList<>()).add(problem);
            }
        }
        return byKey;
    }

    /** The key a SettingsLoader message is about: it starts with the key, then '=', ':', '[' or '.'. */
    private static String keyOf(String problem) {
        String best = null;
        for (String key : CONNECT_KEYS) {
            if (problem.startsWith(key) && (problem.length() == key.length() || "=:[. ".indexOf(problem.charAt(key.length())) >= 0)
                    && (best == null || key.length() > best.length())) {
                best = key;
            }
        }
        return best == null ? ConfigKeys.CLUSTER_CONFIG : best;
    }

    /** Parsed connector values as the HOCON tree under kube2kafka { } that SettingsLoader reads. */
    private static Config hocon(Map<String, ?> parsed) {
        Config config = ConfigFactory.empty();
        for (Map.Entry<String, ?> entry : parsed.entrySet()) {
            if (!CONNECT_KEYS.contains(entry.getKey()) || entry.getValue() == null) {
                continue;
            }
            config = config.withValue(ROOT + "." + entry.getKey(), ConfigValueFactory.fromAnyRef(hoconValue(entry.getKey(), entry.getValue())));
        }
        return config;
    }

    private static Object hoconValue(String key, Object value) {
        if (value instanceof Password password) {
            return password.value();
        }
        if (key.equals(ConfigKeys.RESOURCES_CONFIG)) {
            return resources(String.valueOf(value));
        }
        return value;
    }

    /** Comma-separated names, or a bracketed HOCON list as in the bridge's configuration file. */
    private static List<?> resources(String value) {
        String trimmed = value.trim();
        if (!trimmed.startsWith("[")) {
            return java.util.Arrays.stream(trimmed.split(",")).map(String::trim).filter(name -> !name.isEmpty())
                    .map(name -> Map.of("resource", name)).toList();
        }
        try {
            return (List<?>) ConfigFactory.parseString(ConfigKeys.RESOURCES_CONFIG + " = " + trimmed)
                    .getValue(ConfigKeys.RESOURCES_CONFIG).unwrapped();
        } catch (com.typesafe.config.ConfigException | ClassCastException e) {
            throw new ConfigException(ConfigKeys.RESOURCES_CONFIG, value, "not a list in the bridge's HOCON syntax, like "
                    + "[ pods, { resource = deployments.apps, namespaces = [default] } ]: " + e.getMessage());
        }
    }

    /** Validates one key with the bridge's own rules, the other keys at their defaults. */
    private static final class SameAsBridge implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            Map<String, Object> single = new LinkedHashMap<>();
            single.put(name, value);
            List<String> problems = problemsByKey(single).get(name);
            if (problems != null) {
                throw new ConfigException(name, value instanceof Password ? "[hidden]" : value,
                        String.join("; ", problems.stream().map(p -> withoutKey(name, p)).toList()));
            }
        }

        /**
         * "watch.page-size=0: must be at least 1" becomes "must be at least 1", as ConfigException
         * names the key and value itself; "resources[1].resource=..." keeps saying which entry.
         */
        private static String withoutKey(String name, String problem) {
            int colon = problem.indexOf(": ");
            boolean aboutWholeValue = problem.startsWith(name + "=") || problem.startsWith(name + ":");
            return colon < 0 || !aboutWholeValue ? problem : problem.substring(colon + 2);
        }

        @Override
        public String toString() {
            return "as the kube2kafka HOCON configuration validates it";
        }
    }
}
