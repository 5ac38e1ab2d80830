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
 * <p>Which bridge keys are connector keys, and why the others are not, is {@link ConnectorKeys}'s
 * table; the schema of records follows the connector's converters ({@link RecordSchemas}).
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
            + "[ pods, { resource = deployments.apps, namespaces = [default, shop], label-selector = \"app=web\" } ]. "
            + "Or * for the whole cluster (minus exclude), followed while the connector runs: the tasks are reconfigured "
            + "when discovery finds a resource added or removed.";
    public static final String BOOTSTRAP_DOC = "Required. Bootstrap servers of the Kafka cluster the connector writes to (the worker's). "
            + "A list after a gap (first start, 410 Gone) is compared with what the topic holds, which the task reads from there; "
            + "without topic.creation.* the connector also creates its topics there.";
    public static final String PARTITIONS_DOC = "Partitions of the topics the connector creates when no topic.creation.* key is set.";
    public static final String REPLICATION_DOC = "Replication factor of the topics the connector creates when no topic.creation.* key is set; "
            + "-1 = the broker's default.";
    public static final String MAX_BATCH_DOC = "Most events one poll() hands to Connect; with exactly-once and the poll transaction "
            + "boundary also the most events in one transaction.";
    public static final String MAX_QUEUED_DOC = "Most event bytes waiting for Connect to poll them; beyond it watchers pause, "
            + "slowing their streams to Connect's pace.";

    public static final String DROP_PATHS_DOC = ConfigKeys.DROP_PATHS_DOC + " Under Connect: comma-separated, "
            + "or a bracketed HOCON list as in the bridge's file.";

    /**
     * Connect-only: the schema records carry when the connector sets no converter of its own (the
     * worker's then applies, which a connector cannot see), or with a converter it does not know.
     */
    public static final String SCHEMA_CONFIG = "output.schema";
    public static final String SCHEMA_DOC = "Connect schema of record keys and values when the connector sets no key.converter or "
            + "value.converter (the worker's then applies): bytes (default; for a worker's ByteArrayConverter) or string (for StringConverter). "
            + "With StringConverter or ByteArrayConverter set on the connector the schema follows it; JsonConverter is refused "
            + "(it would write base64 or quoted strings). Either way the bytes in Kafka are the uid and the event JSON as the "
            + "standalone bridge writes them. Headers are UTF-8 strings (the default SimpleHeaderConverter or StringConverter).";

    private static final Map<String, String> CONNECT_DOCS = Map.of(
            ConfigKeys.RESOURCES_CONFIG, RESOURCES_DOC,
            ConfigKeys.BOOTSTRAP_CONFIG, BOOTSTRAP_DOC,
            ConfigKeys.PARTITIONS_CONFIG, PARTITIONS_DOC,
            ConfigKeys.REPLICATION_CONFIG, REPLICATION_DOC,
            ConfigKeys.MAX_BATCH_CONFIG, MAX_BATCH_DOC,
            ConfigKeys.MAX_QUEUED_CONFIG, MAX_QUEUED_DOC,
            ConfigKeys.DROP_PATHS_CONFIG, DROP_PATHS_DOC);

    private static final Set<String> HIGH = Set.of(ConfigKeys.CLUSTER_CONFIG, ConfigKeys.URL_CONFIG, ConfigKeys.KUBECONFIG_CONFIG,
            ConfigKeys.RESOURCES_CONFIG, ConfigKeys.BOOTSTRAP_CONFIG, ConfigKeys.TOPIC_CONFIG);

    /**
     * The bridge reads "" as "start an embedded broker"; a task has none, and needs the cluster to
     * read its topics after a gap and to create them.
     */
    private static final ConfigDef.Validator REQUIRED = ConfigDef.LambdaValidator.with((name, value) -> {
        if (value == null || String.valueOf(value).isBlank()) {
            throw new ConfigException(name, value, "required under Kafka Connect: the Kafka cluster the connector writes to, "
                    + "whose topics a task reads after a gap (there is no embedded broker here)");
        }
    }, () -> "host:port,...");

    public static final ConfigDef CONFIG_DEF = configDef();

    private final Map<String, String> props;

    public KubernetesSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        this.props = Map.copyOf(props);
    }

    private static ConfigDef configDef() {
        Config reference = ConfigFactory.defaultReference().getConfig(ROOT);
        ConfigDef def = new ConfigDef();
        for (ConfigKey key : ConfigKeys.ALL) {
            if (!ConnectorKeys.isConnectorKey(key)) {
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
            boolean bootstrap = key.name().equals(ConfigKeys.BOOTSTRAP_CONFIG);
            Object defaultValue = bootstrap ? ConfigDef.NO_DEFAULT_VALUE : referenceDefault(reference, key);
            def.define(key.name(), type, defaultValue, bootstrap ? ConfigDef.CompositeValidator.of(REQUIRED, new SameAsBridge()) : new SameAsBridge(),
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
            case LIST -> key.name().equals(ConfigKeys.RESOURCES_CONFIG)
                    ? String.join(",", reference.getConfigList(key.name()).stream().map(r -> r.getString("resource")).toList())
                    : String.join(",", reference.getStringList(key.name()));
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
            return new SettingsLoader(Map.of()).from(hocon(values(), props), new ArrayList<>());
        } catch (ConfigurationException e) {
            throw new ConfigException(String.join("; ", e.problems()));
        }
    }

    /**
     * What only a connector can get wrong, by key: keys Connect owns, typos, topic settings that
     * topic.creation.* leaves unused, converters that would not write the bridge's bytes.
     */
    static Map<String, List<String>> connectProblems(Map<String, String> props) {
        Map<String, List<String>> problems = new LinkedHashMap<>(ConnectorKeys.problems(props, CONFIG_DEF.names()));
        RecordSchemas.problems(props).forEach((key, list) -> problems.computeIfAbsent(key, k -> new ArrayList<>()).addAll(list));
        return problems;
    }

    /**
     * Every problem the bridge's validation finds in these parsed values, by the key it names; rules
     * that span keys (backoff-max not below backoff-initial) land on the key the message starts with.
     *
     * @param props the connector's settings as given, for the entries of prefix keys (kafka.topic-config.*)
     */
    static Map<String, List<String>> problemsByKey(Map<String, Object> parsed, Map<String, String> props) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        try {
            new SettingsLoader(Map.of()).from(hocon(parsed, props), new ArrayList<>());
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
        for (String key : CONFIG_DEF.names()) {
            if (problem.startsWith(key) && (problem.length() == key.length() || "=:[. ".indexOf(problem.charAt(key.length())) >= 0)
                    && (best == null || key.length() > best.length())) {
                best = key;
            }
        }
        return best == null ? ConfigKeys.CLUSTER_CONFIG : best;
    }

    /** Parsed connector values, and the entries of prefix keys, as the HOCON tree under kube2kafka { } that SettingsLoader reads. */
    private static Config hocon(Map<String, ?> parsed, Map<String, String> props) {
        Config config = ConfigFactory.empty();
        for (Map.Entry<String, ?> entry : parsed.entrySet()) {
            if (entry.getKey().equals(SCHEMA_CONFIG) || entry.getValue() == null) {
                continue;
            }
            config = config.withValue(ROOT + "." + entry.getKey(), ConfigValueFactory.fromAnyRef(hoconValue(entry.getKey(), entry.getValue())));
        }
        for (String prefixKey : ConnectorKeys.PREFIX_KEYS) {
            Map<String, String> entries = ConnectorKeys.entries(prefixKey, props);
            if (!entries.isEmpty()) {
                // fromMap takes each name as one key, not a path: "cleanup.policy" stays one setting.
                config = config.withValue(ROOT + "." + prefixKey, ConfigValueFactory.fromMap(entries));
            }
        }
        return config;
    }

    private static Object hoconValue(String key, Object value) {
        if (value instanceof Password password) {
            return password.value();
        }
        if (key.equals(ConfigKeys.RESOURCES_CONFIG)) {
            // As { resource = name }: the bridge checks the spelling of a name in that form.
            return list(key, String.valueOf(value)).stream().map(item -> item instanceof String name ? Map.of("resource", name) : item).toList();
        }
        if (ConfigKeys.ALL.stream().anyMatch(k -> k.name().equals(key) && k.type() == ConfigKey.Type.LIST)) {
            return list(key, String.valueOf(value));
        }
        return value;
    }

    /** Examples of the bridge's list syntax, for a message about a broken value. */
    private static final Map<String, String> LIST_EXAMPLES = Map.of(
            ConfigKeys.RESOURCES_CONFIG, "[ pods, { resource = deployments.apps, namespaces = [default] } ]",
            ConfigKeys.DROP_PATHS_CONFIG, "[ \"/status\", \"/metadata/annotations/example.com~1note\" ]");

    /**
     * Connect values are strings, so a list is comma-separated items, or, for what commas cannot
     * say, the bridge's own HOCON list in brackets. A bare resource name is an entry the bridge takes too.
     */
    private static List<?> list(String key, String value) {
        String trimmed = value.trim();
        if (!trimmed.startsWith("[")) {
            return java.util.Arrays.stream(trimmed.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
        }
        try {
            return (List<?>) ConfigFactory.parseString("list = " + trimmed).getValue("list").unwrapped();
        } catch (com.typesafe.config.ConfigException | ClassCastException e) {
            throw new ConfigException(key, value, "not a list in the bridge's HOCON syntax, like " + LIST_EXAMPLES.getOrDefault(key, "[ a, b ]")
                    + ": " + e.getMessage());
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
            List<String> problems = problemsByKey(single, Map.of()).get(name);
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
