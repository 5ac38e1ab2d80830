package io.kube2kafka.connect;

import io.kube2kafka.config.ConfigKey;
import io.kube2kafka.config.ConfigKeys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each key of the standalone bridge ({@link ConfigKeys#ALL}) is under Kafka Connect: a connector
 * key that works as in the bridge, a prefix of connector keys ({@code kafka.topic-config.<name>}),
 * or a key Connect owns, which {@code validate()} rejects with the reason. A key in none of these is
 * a decision nobody made; ConnectorKeysTest walks the bridge's keys so a new one cannot be forgotten.
 */
final class ConnectorKeys {
    /** Connect's own prefix: any key under it makes the worker create the topics (SourceConnectorConfig.usesTopicCreation). */
    static final String TOPIC_CREATION_PREFIX = "topic.creation.";

    /** Bridge keys that become connector keys, besides every output.* key. */
    private static final Set<String> CONNECT_KEYS = Set.of(
            ConfigKeys.CLUSTER_CONFIG, ConfigKeys.KUBECONFIG_CONFIG, ConfigKeys.CONTEXT_CONFIG, ConfigKeys.URL_CONFIG,
            ConfigKeys.TOKEN_CONFIG, ConfigKeys.TOKEN_FILE_CONFIG, ConfigKeys.CA_FILE_CONFIG, ConfigKeys.INSECURE_CONFIG, ConfigKeys.EXEC_TIMEOUT_CONFIG, ConfigKeys.HTTP2_CONFIG, ConfigKeys.PING_INTERVAL_CONFIG,
            ConfigKeys.RESOURCES_CONFIG, ConfigKeys.EXCLUDE_CONFIG, ConfigKeys.DISCOVERY_INTERVAL_CONFIG, ConfigKeys.PAGE_SIZE_CONFIG, ConfigKeys.WATCH_TIMEOUT_CONFIG,
            ConfigKeys.IDLE_TIMEOUT_CONFIG, ConfigKeys.BACKOFF_INITIAL_CONFIG, ConfigKeys.BACKOFF_MAX_CONFIG, ConfigKeys.TOO_LARGE_RETRY_CONFIG,
            ConfigKeys.INITIAL_LIST_CONFIG,
            ConfigKeys.AUTH_BACKOFF_CONFIG, ConfigKeys.MAX_EVENT_BYTES_CONFIG, ConfigKeys.BOOTSTRAP_CONFIG,
            ConfigKeys.TOPIC_CONFIG, ConfigKeys.NOTIFICATION_TOPIC_CONFIG, ConfigKeys.SIGNAL_TOPIC_CONFIG, ConfigKeys.PARTITIONS_CONFIG, ConfigKeys.REPLICATION_CONFIG,
            ConfigKeys.MAX_BATCH_CONFIG, ConfigKeys.MAX_QUEUED_CONFIG);

    /**
     * Every output.* key is a connector key: the settings reach records only through
     * RecordPipeline, which the task builds as the bridge does, so they work alike by construction.
     */
    private static final String OUTPUT_PREFIX = "output.";

    /** Map keys whose entries are connector keys of their own: kafka.topic-config.cleanup.policy=compact. */
    static final Set<String> PREFIX_KEYS = Set.of(ConfigKeys.TOPIC_CONFIGS_CONFIG);

    /** Keys the connector creates its topics with; meaningless when Connect creates them (topic.creation.*). */
    private static final Map<String, String> TOPIC_CREATION_EQUIVALENT = Map.of(
            ConfigKeys.PARTITIONS_CONFIG, TOPIC_CREATION_PREFIX + "default.partitions",
            ConfigKeys.REPLICATION_CONFIG, TOPIC_CREATION_PREFIX + "default.replication.factor",
            ConfigKeys.TOPIC_CONFIGS_CONFIG, TOPIC_CREATION_PREFIX + "default.<config>");

    /** Bridge keys Connect owns, each with what takes its place. */
    static final Map<String, String> NOT_UNDER_CONNECT = notUnderConnect();

    private static Map<String, String> notUnderConnect() {
        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put(ConfigKeys.CLUSTERS_CONFIG, "a connector streams one cluster; create one connector per cluster, "
                + "each with its own cluster, kubernetes.* and resources");
        reasons.put(ConfigKeys.CHECKPOINT_TOPIC_CONFIG, "Connect keeps each watch's resourceVersion as its source offset, "
                + "in the worker's offset.storage.topic (or the connector's offsets.storage.topic)");
        reasons.put(ConfigKeys.DELIVERY_CONFIG, "Connect decides delivery: exactly-once with the worker's "
                + "exactly.once.source.support=enabled (and exactly.once.support=required here), else at-least-once");
        reasons.put(ConfigKeys.TRANSACTIONAL_ID_CONFIG, "Connect names its tasks' transactional producers itself");
        reasons.put(ConfigKeys.SHUTDOWN_TIMEOUT_CONFIG, "the worker's task.shutdown.graceful.timeout.ms bounds how long a task stops");
        reasons.put(ConfigKeys.PRODUCER_CONFIG, "the worker's producer writes the records: set producer.override.<name> "
                + "(the worker's connector.client.config.override.policy must allow it)");
        reasons.put(ConfigKeys.EMBEDDED_DIR_CONFIG, "there is no embedded broker under Connect: records go to the worker's "
                + "Kafka cluster, named by kafka.bootstrap-servers");
        reasons.put(ConfigKeys.EMBEDDED_PORT_CONFIG, reasons.get(ConfigKeys.EMBEDDED_DIR_CONFIG));
        reasons.put(ConfigKeys.HTTP_PORT_CONFIG, "the worker serves the REST API and metrics; GET /connectors/NAME/status "
                + "says whether the watches run");
        reasons.put(ConfigKeys.HTTP_ADDRESS_CONFIG, reasons.get(ConfigKeys.HTTP_PORT_CONFIG));
        return Map.copyOf(reasons);
    }

    /** First segments of the bridge's keys: a connector key under one of them that is none of ours is a typo. */
    private static final Set<String> NAMESPACES = namespaces();

    private ConnectorKeys() {
    }

    private static Set<String> namespaces() {
        Set<String> namespaces = new LinkedHashSet<>();
        for (ConfigKey key : ConfigKeys.ALL) {
            int dot = key.name().indexOf('.');
            namespaces.add(dot < 0 ? key.name() : key.name().substring(0, dot));
        }
        return namespaces;
    }

    /** Whether a bridge key is a connector key of the same name (in the ConfigDef). */
    static boolean isConnectorKey(ConfigKey key) {
        return key.type() != ConfigKey.Type.MAP && (CONNECT_KEYS.contains(key.name()) || key.name().startsWith(OUTPUT_PREFIX));
    }

    /** Whether Connect creates the connector's topics: any topic.creation.* key, as the worker itself decides. */
    static boolean connectCreatesTopics(Map<String, String> props) {
        return props.keySet().stream().anyMatch(key -> key.startsWith(TOPIC_CREATION_PREFIX));
    }

    /** The entries of a prefix key: kafka.topic-config.retention.ms=1000 gives retention.ms=1000. */
    static Map<String, String> entries(String prefixKey, Map<String, String> props) {
        Map<String, String> entries = new LinkedHashMap<>();
        props.forEach((key, value) -> {
            if (key.startsWith(prefixKey + ".") && key.length() > prefixKey.length() + 1) {
                entries.put(key.substring(prefixKey.length() + 1), value);
            }
        });
        return entries;
    }

    /**
     * Keys of these connector settings that must not be there, by key: keys Connect owns, typos under
     * the bridge's namespaces, and topic settings that topic.creation.* would leave unused.
     *
     * @param definedKeys the names the ConfigDef defines
     */
    static Map<String, List<String>> problems(Map<String, String> props, Set<String> definedKeys) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        boolean connectCreatesTopics = connectCreatesTopics(props);
        for (String key : props.keySet()) {
            String owner = mapKeyOf(key);
            String reason = NOT_UNDER_CONNECT.get(owner == null ? key : owner);
            if (reason != null) {
                add(problems, key, "not used under Kafka Connect: " + reason);
            } else if (connectCreatesTopics && TOPIC_CREATION_EQUIVALENT.containsKey(owner == null ? key : owner)) {
                add(problems, key, "not used: the topic.creation.* keys make Connect create the topics; set "
                        + TOPIC_CREATION_EQUIVALENT.get(owner == null ? key : owner) + " instead, or leave topic.creation.* out "
                        + "and the connector creates its topics with kafka.partitions, kafka.replication-factor and kafka.topic-config.*");
            } else if (PREFIX_KEYS.contains(key)) {
                add(problems, key, "set each topic config as a key of its own: " + key + ".<config>, e.g. " + key + ".retention.ms");
            } else if (owner == null && !definedKeys.contains(key) && NAMESPACES.contains(namespaceOf(key))) {
                add(problems, key, "unknown key: not a setting of this connector (GET /connector-plugins/KubernetesSourceConnector/config lists them)");
            }
        }
        return problems;
    }

    /** The map key a key is an entry of (kafka.producer for kafka.producer.acks), or null. */
    private static String mapKeyOf(String key) {
        for (String mapKey : ConfigKeys.MAP_KEYS) {
            if (key.startsWith(mapKey + ".")) {
                return mapKey;
            }
        }
        return null;
    }

    private static String namespaceOf(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? key : key.substring(0, dot);
    }

    private static void add(Map<String, List<String>> problems, String key, String problem) {
        problems.computeIfAbsent(key, k -> new ArrayList<>()).add(problem);
    }
}
