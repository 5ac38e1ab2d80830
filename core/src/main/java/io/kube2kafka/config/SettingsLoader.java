package io.kube2kafka.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.kube2kafka.cluster.ConnectionSettings;
import io.kube2kafka.watch.WatchSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Loads the configuration in layers (environment over {@code --config FILE} over the default file in
 * {@code config/} over the jar's reference.conf) and validates all of it, reporting every problem at
 * once: a user fixing a file should not have to run the bridge once per typo.
 */
public final class SettingsLoader {
    private static final String ROOT = "kube2kafka";
    private static final Pattern TOPIC_SAFE = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final Set<String> RESOURCE_FIELDS = Set.of("resource", "namespaces", "label-selector", "field-selector");
    /** The keys of one entry of clusters. */
    private static final List<String> CLUSTER_FIELDS = List.of(ConfigKeys.CLUSTER_CONFIG, "kubernetes", ConfigKeys.RESOURCES_CONFIG);
    /** The single-cluster keys that a clusters list replaces. */
    private static final List<String> SINGLE_CLUSTER_KEYS = List.of(ConfigKeys.CLUSTER_CONFIG, ConfigKeys.KUBECONFIG_CONFIG,
            ConfigKeys.CONTEXT_CONFIG, ConfigKeys.URL_CONFIG, ConfigKeys.TOKEN_CONFIG, ConfigKeys.TOKEN_FILE_CONFIG,
            ConfigKeys.CA_FILE_CONFIG, ConfigKeys.INSECURE_CONFIG, ConfigKeys.EXEC_TIMEOUT_CONFIG, ConfigKeys.HTTP2_CONFIG, ConfigKeys.RESOURCES_CONFIG);

    private final Map<String, String> environment;
    private final ProducerSettingsRule producerRule;

    /** Without a check of kafka.producer's values (see the other constructor). */
    public SettingsLoader(Map<String, String> environment) {
        this(environment, ProducerSettingsRule.NONE);
    }

    /** @param producerRule judges kafka.producer, with Kafka's own definitions (publish's ProducerSettingsCheck) */
    public SettingsLoader(Map<String, String> environment, ProducerSettingsRule producerRule) {
        this.environment = environment;
        this.producerRule = producerRule;
    }

    /**
     * @param file the user's --config file, or null
     * @param defaultsFile config/kube2kafka.conf of the installation, or null
     */
    public BridgeSettings load(Path file, Path defaultsFile) throws ConfigurationException {
        List<String> problems = new ArrayList<>();
        Config user = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigurationException(List.of("--config " + file + ": no such file"));
            }
            user = parse(file, problems);
        }
        user = environmentOverrides(problems).withFallback(user);
        if (defaultsFile != null && Files.isRegularFile(defaultsFile)) {
            user = user.withFallback(withoutOtherShape(parse(defaultsFile, problems), user));
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return from(user, problems);
    }

    /** Validates an already parsed configuration (tests, and the Connect connector's flattened keys). */
    public BridgeSettings from(Config user, List<String> problems) throws ConfigurationException {
        Config reference = ConfigFactory.defaultReference();
        reportUnknownKeys(user, reference, problems);
        Config config = user.withFallback(reference).resolve().getConfig(ROOT);
        Reader read = new Reader(config, problems);

        List<ClusterSettings> clusters = clusters(user, reference, config, problems);

        WatchSettings watch = new WatchSettings(read.intAtLeast(ConfigKeys.PAGE_SIZE_CONFIG, 1),
                read.positiveDuration(ConfigKeys.WATCH_TIMEOUT_CONFIG), read.positiveDuration(ConfigKeys.IDLE_TIMEOUT_CONFIG),
                read.positiveDuration(ConfigKeys.BACKOFF_INITIAL_CONFIG), read.positiveDuration(ConfigKeys.BACKOFF_MAX_CONFIG),
                read.positiveDuration(ConfigKeys.AUTH_BACKOFF_CONFIG), (int) Math.min(Integer.MAX_VALUE - 16, read.bytes(ConfigKeys.MAX_EVENT_BYTES_CONFIG)),
                read.positiveDuration(ConfigKeys.TOO_LARGE_RETRY_CONFIG), read.positiveDuration(ConfigKeys.PING_INTERVAL_CONFIG));
        if (watch.backoffInitial() != null && watch.backoffMax() != null && watch.backoffMax().compareTo(watch.backoffInitial()) < 0) {
            problems.add(ConfigKeys.BACKOFF_MAX_CONFIG + "=" + watch.backoffMax() + ": must not be shorter than " + ConfigKeys.BACKOFF_INITIAL_CONFIG + "=" + watch.backoffInitial());
        }

        String delivery = read.string(ConfigKeys.DELIVERY_CONFIG);
        if (delivery != null && !delivery.equals("exactly-once") && !delivery.equals("at-least-once")) {
            problems.add(ConfigKeys.DELIVERY_CONFIG + "=\"" + delivery + "\": must be exactly-once or at-least-once");
        }
        String topic = read.string(ConfigKeys.TOPIC_CONFIG);
        if (topic != null) {
            String sample = topic.replace("{cluster}", "c").replace("{group}", "g").replace("{version}", "v").replace("{resource}", "r");
            if (!TOPIC_SAFE.matcher(sample).matches()) {
                problems.add(ConfigKeys.TOPIC_CONFIG + "=\"" + topic + "\": only {cluster}, {group}, {version}, {resource} and letters, digits, '.', '_', '-' are allowed");
            }
        }
        String checkpointTopic = read.string(ConfigKeys.CHECKPOINT_TOPIC_CONFIG);
        if (checkpointTopic != null && !TOPIC_SAFE.matcher(checkpointTopic).matches()) {
            problems.add(ConfigKeys.CHECKPOINT_TOPIC_CONFIG + "=\"" + checkpointTopic + "\": not a valid topic name");
        }
        int replication = read.integer(ConfigKeys.REPLICATION_CONFIG);
        if (replication == 0 || replication < -1) {
            problems.add(ConfigKeys.REPLICATION_CONFIG + "=" + replication + ": must be -1 (broker default) or at least 1");
        }
        int port = read.integer(ConfigKeys.EMBEDDED_PORT_CONFIG);
        if (port < 0 || port > 65535) {
            problems.add(ConfigKeys.EMBEDDED_PORT_CONFIG + "=" + port + ": must be 0 to 65535");
        }
        KafkaSettings kafka = new KafkaSettings(read.string(ConfigKeys.BOOTSTRAP_CONFIG), topic, checkpointTopic,
                "exactly-once".equals(delivery), read.string(ConfigKeys.TRANSACTIONAL_ID_CONFIG),
                read.intAtLeast(ConfigKeys.PARTITIONS_CONFIG, 1), replication, read.map(ConfigKeys.TOPIC_CONFIGS_CONFIG),
                read.intAtLeast(ConfigKeys.MAX_BATCH_CONFIG, 1), read.bytes(ConfigKeys.MAX_QUEUED_CONFIG),
                read.positiveDuration(ConfigKeys.SHUTDOWN_TIMEOUT_CONFIG), read.map(ConfigKeys.PRODUCER_CONFIG),
                Path.of(nullToEmpty(read.string(ConfigKeys.EMBEDDED_DIR_CONFIG))), port);
        producerRule.check(kafka.producer(), problems);
        if (kafka.maxQueuedBytes() < 1024 * 1024) {
            problems.add(ConfigKeys.MAX_QUEUED_CONFIG + "=" + kafka.maxQueuedBytes() + ": must be at least 1MiB");
        }

        String oversized = read.string(ConfigKeys.OVERSIZED_CONFIG);
        if (oversized != null && !oversized.equals("marker") && !oversized.equals("fail")) {
            problems.add(ConfigKeys.OVERSIZED_CONFIG + "=\"" + oversized + "\": must be marker or fail");
        }
        OutputSettings output = new OutputSettings(read.bool(ConfigKeys.TOMBSTONES_CONFIG), read.bool(ConfigKeys.DROP_MANAGED_FIELDS_CONFIG),
                read.bool(ConfigKeys.REDACT_SECRETS_CONFIG), "fail".equals(oversized), dropPaths(config, problems));
        int httpPort = read.integer(ConfigKeys.HTTP_PORT_CONFIG);
        if (httpPort < -1 || httpPort > 65535) {
            problems.add(ConfigKeys.HTTP_PORT_CONFIG + "=" + httpPort + ": must be -1 (off), 0 (any free port) or a port up to 65535");
        }
        String httpAddress = read.string(ConfigKeys.HTTP_ADDRESS_CONFIG);
        if (httpAddress != null && httpAddress.isBlank()) {
            problems.add(ConfigKeys.HTTP_ADDRESS_CONFIG + "=\"\": name an address to bind, e.g. 127.0.0.1 or 0.0.0.0");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return new BridgeSettings(clusters, watch, kafka, output, httpPort, httpAddress);
    }

    /**
     * The top-level cluster when {@code clusters} is empty (the single-cluster configuration of the
     * contract), else one per entry. Giving both is an error: which one the user meant is not ours to guess.
     */
    private static List<ClusterSettings> clusters(Config user, Config reference, Config config, List<String> problems) {
        ClusterSettings single = cluster(config, "", problems);
        if (!config.hasPath(ConfigKeys.CLUSTERS_CONFIG) || config.getValue(ConfigKeys.CLUSTERS_CONFIG).valueType() != ConfigValueType.LIST) {
            problems.add(ConfigKeys.CLUSTERS_CONFIG + ": must be a list like [{ cluster = \"a\", kubernetes { context = \"a\" }, resources = [pods] }]");
            return List.of(single);
        }
        List<? extends ConfigValue> items = config.getList(ConfigKeys.CLUSTERS_CONFIG);
        if (items.isEmpty()) {
            return List.of(single);
        }
        List<String> singleKeys = new ArrayList<>();
        for (String key : SINGLE_CLUSTER_KEYS) {
            if (user.hasPath(ROOT + "." + key)) {
                singleKeys.add(key);
            }
        }
        if (!singleKeys.isEmpty()) {
            problems.add(ConfigKeys.CLUSTERS_CONFIG + " and " + String.join(", ", singleKeys) + " are both set: with a clusters list, "
                    + "give each entry its own cluster, kubernetes and resources, and remove the top-level ones");
        }
        Config kubernetesDefaults = reference.getConfig(ROOT).withOnlyPath("kubernetes");
        List<ClusterSettings> clusters = new ArrayList<>();
        Map<String, String> firstByName = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String at = ConfigKeys.CLUSTERS_CONFIG + "[" + i + "]";
            if (!(items.get(i) instanceof com.typesafe.config.ConfigObject entry)) {
                problems.add(at + ": must be an object like { cluster = \"a\", kubernetes { context = \"a\" }, resources = [pods] }");
                continue;
            }
            for (String field : entry.keySet()) {
                if (!CLUSTER_FIELDS.contains(field)) {
                    problems.add(at + "." + field + ": unknown key (allowed: " + String.join(", ", CLUSTER_FIELDS) + ")");
                }
            }
            if (entry.get("kubernetes") instanceof com.typesafe.config.ConfigObject kubernetes) {
                Set<String> known = new java.util.HashSet<>();
                ConfigKeys.ALL.stream().map(ConfigKey::name).filter(n -> n.startsWith("kubernetes.")).forEach(known::add);
                for (Map.Entry<String, ConfigValue> field : kubernetes.toConfig().entrySet()) {
                    String path = "kubernetes." + String.join(".", ConfigUtil.splitPath(field.getKey()));
                    if (!known.contains(path)) {
                        problems.add(at + "." + path + ": unknown key" + suggestion(path, known));
                    }
                }
            } else if (entry.containsKey("kubernetes")) {
                problems.add(at + ".kubernetes: must be an object like { url = \"https://...\" } or { context = \"a\" }");
                continue;
            }
            if (!entry.containsKey(ConfigKeys.CLUSTER_CONFIG)) {
                problems.add(at + ".cluster: missing; name the cluster, e.g. cluster = \"prod-eu1\" (it becomes part of topic names)");
                continue;
            }
            ClusterSettings cluster = cluster(entry.toConfig().withFallback(kubernetesDefaults), at + ".", problems);
            if (cluster.cluster() != null) {
                String first = firstByName.putIfAbsent(cluster.cluster(), at);
                if (first != null) {
                    problems.add(at + ".cluster=\"" + cluster.cluster() + "\": duplicates " + first + ".cluster; each cluster needs "
                            + "its own name (it is part of topic names and checkpoint keys)");
                }
            }
            clusters.add(cluster);
        }
        return clusters.isEmpty() ? List.of(single) : clusters;
    }

    /**
     * @param prefix "" for the top-level keys, "clusters[1]." for an entry: every problem names the key path
     */
    private static ClusterSettings cluster(Config config, String prefix, List<String> problems) {
        Reader read = new Reader(config, problems, prefix);
        String cluster = read.string(ConfigKeys.CLUSTER_CONFIG);
        if (cluster != null && !TOPIC_SAFE.matcher(cluster).matches()) {
            problems.add(prefix + ConfigKeys.CLUSTER_CONFIG + "=\"" + cluster + "\": must be letters, digits, '.', '_' or '-' (it becomes part of topic names)");
        }
        ConnectionSettings kubernetes = new ConnectionSettings(read.string(ConfigKeys.KUBECONFIG_CONFIG), read.string(ConfigKeys.CONTEXT_CONFIG),
                read.string(ConfigKeys.URL_CONFIG), read.string(ConfigKeys.TOKEN_CONFIG), read.string(ConfigKeys.TOKEN_FILE_CONFIG),
                read.string(ConfigKeys.CA_FILE_CONFIG), read.bool(ConfigKeys.INSECURE_CONFIG),
                read.positiveDuration(ConfigKeys.EXEC_TIMEOUT_CONFIG), read.bool(ConfigKeys.HTTP2_CONFIG));
        String url = kubernetes.url();
        if (url != null && !url.isEmpty() && !(url.startsWith("http://") || url.startsWith("https://"))) {
            problems.add(prefix + ConfigKeys.URL_CONFIG + "=\"" + url + "\": must start with http:// or https://");
        }
        if (kubernetes.tokenFile() != null && !kubernetes.tokenFile().isEmpty() && !Files.isReadable(Path.of(kubernetes.tokenFile()))) {
            problems.add(prefix + ConfigKeys.TOKEN_FILE_CONFIG + "=\"" + kubernetes.tokenFile() + "\": no readable file there");
        }
        if (kubernetes.caFile() != null && !kubernetes.caFile().isEmpty() && !Files.isReadable(Path.of(kubernetes.caFile()))) {
            problems.add(prefix + ConfigKeys.CA_FILE_CONFIG + "=\"" + kubernetes.caFile() + "\": no readable file there");
        }
        return new ClusterSettings(cluster, kubernetes, resources(config, prefix, problems));
    }

    /**
     * The installation's defaults file names one cluster (cluster, resources); a user who writes a
     * clusters list in --config or the environment replaces that cluster rather than contradicting it,
     * and one who writes the single-cluster keys replaces a clusters list there.
     */
    private static Config withoutOtherShape(Config defaults, Config user) {
        if (user.hasPath(ROOT + "." + ConfigKeys.CLUSTERS_CONFIG)) {
            for (String key : SINGLE_CLUSTER_KEYS) {
                defaults = defaults.withoutPath(ROOT + "." + key);
            }
            return defaults.withoutPath(ROOT + ".kubernetes");
        }
        if (SINGLE_CLUSTER_KEYS.stream().anyMatch(key -> user.hasPath(ROOT + "." + key))) {
            return defaults.withoutPath(ROOT + "." + ConfigKeys.CLUSTERS_CONFIG);
        }
        return defaults;
    }

    private static Config parse(Path file, List<String> problems) {
        try {
            return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            problems.add(file + ": " + e.getMessage());
            return ConfigFactory.empty();
        }
    }

    /** KUBE2KAFKA_KAFKA_BOOTSTRAP_SERVERS=... overrides kube2kafka.kafka.bootstrap-servers, and so on for every key. */
    private Config environmentOverrides(List<String> problems) {
        Config overrides = ConfigFactory.empty();
        for (ConfigKey key : ConfigKeys.ALL) {
            String value = environment.get(key.environmentVariable());
            if (value == null) {
                continue;
            }
            String path = ROOT + "." + key.name();
            try {
                Object parsed = switch (key.type()) {
                    case STRING -> value;
                    case LIST -> value.trim().startsWith("[")
                            ? ConfigFactory.parseString("v = " + value).getValue("v").unwrapped()
                            : key.name().equals(ConfigKeys.RESOURCES_CONFIG)
                            ? Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(r -> Map.of("resource", r)).toList()
                            : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                    default -> ConfigFactory.parseString("v = " + value).getValue("v").unwrapped();
                };
                overrides = overrides.withValue(path, ConfigValueFactory.fromAnyRef(parsed, "environment variable " + key.environmentVariable()));
            } catch (ConfigException e) {
                problems.add(key.environmentVariable() + "=\"" + value + "\": not a valid value for " + key.name() + " (" + e.getMessage() + ")");
            }
        }
        return overrides;
    }

    private static void reportUnknownKeys(Config user, Config reference, List<String> problems) {
        if (!user.hasPath(ROOT)) {
            return;
        }
        Set<String> known = new java.util.HashSet<>();
        ConfigKeys.ALL.forEach(k -> known.add(k.name()));
        for (Map.Entry<String, ConfigValue> entry : user.getConfig(ROOT).entrySet()) {
            String path = String.join(".", ConfigUtil.splitPath(entry.getKey()));
            boolean ok = known.contains(path) || ConfigKeys.MAP_KEYS.stream().anyMatch(m -> path.startsWith(m + "."));
            if (!ok) {
                problems.add(ROOT + "." + path + ": unknown key" + suggestion(path, known));
            }
        }
    }

    private static String suggestion(String path, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = editDistance(path, candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best != null && bestDistance <= 3 ? " (did you mean " + best + "?)" : "";
    }

    /** Also names the nearest producer setting for a kafka.producer typo. */
    /** Levenshtein distance, for "did you mean" suggestions. */
    public static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = current;
        }
        return previous[b.length()];
    }

    private static List<ResourceSpec> resources(Config config, String prefix, List<String> problems) {
        List<ResourceSpec> specs = new ArrayList<>();
        if (!config.hasPath(ConfigKeys.RESOURCES_CONFIG) || config.getValue(ConfigKeys.RESOURCES_CONFIG).valueType() != ConfigValueType.LIST) {
            problems.add(prefix + ConfigKeys.RESOURCES_CONFIG + ": " + (config.hasPath(ConfigKeys.RESOURCES_CONFIG) ? "" : "missing; ")
                    + "must be a list like [{ resource = \"pods\" }]");
            return specs;
        }
        List<? extends ConfigValue> items = config.getList(ConfigKeys.RESOURCES_CONFIG);
        if (items.isEmpty()) {
            problems.add(prefix + ConfigKeys.RESOURCES_CONFIG + "=[]: name at least one resource to stream");
        }
        for (int i = 0; i < items.size(); i++) {
            String at = prefix + ConfigKeys.RESOURCES_CONFIG + "[" + i + "]";
            ConfigValue item = items.get(i);
            if (item.valueType() == ConfigValueType.STRING) {
                specs.add(new ResourceSpec((String) item.unwrapped(), List.of(), "", ""));
                continue;
            }
            if (item.valueType() != ConfigValueType.OBJECT) {
                problems.add(at + ": must be an object like { resource = \"pods\" } or a resource name");
                continue;
            }
            Config entry = ((com.typesafe.config.ConfigObject) item).toConfig();
            for (String field : ((com.typesafe.config.ConfigObject) item).keySet()) {
                if (!RESOURCE_FIELDS.contains(field)) {
                    problems.add(at + "." + field + ": unknown key (allowed: resource, namespaces, label-selector, field-selector)");
                }
            }
            try {
                String resource = entry.getString("resource");
                if (!resource.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
                    problems.add(at + ".resource=\"" + resource + "\": not a resource name in kubectl spelling (plural[.version][.group])");
                }
                List<String> namespaces = entry.hasPath("namespaces") ? entry.getStringList("namespaces") : List.of();
                specs.add(new ResourceSpec(resource, namespaces,
                        entry.hasPath("label-selector") ? entry.getString("label-selector") : "",
                        entry.hasPath("field-selector") ? entry.getString("field-selector") : ""));
            } catch (ConfigException.Missing e) {
                problems.add(at + ".resource: missing; name the resource, e.g. resource = \"pods\"");
            } catch (ConfigException.WrongType e) {
                problems.add(at + ": " + e.getMessage());
            }
        }
        return specs;
    }

    /** Fields a consumer needs to identify a record's object; dropping them would break keys and headers. */
    private static final Set<String> UNDROPPABLE = Set.of("/kind", "/apiVersion", "/metadata", "/metadata/uid", "/metadata/name",
            "/metadata/namespace", "/metadata/resourceVersion");

    private static List<String> dropPaths(Config config, List<String> problems) {
        String key = ConfigKeys.DROP_PATHS_CONFIG;
        List<String> paths;
        try {
            paths = config.getStringList(key);
        } catch (ConfigException e) {
            problems.add(key + ": must be a list of JSON Pointers like [\"/status\", \"/metadata/annotations/example.com~1note\"]");
            return List.of();
        }
        for (String path : paths) {
            if (!path.startsWith("/")) {
                problems.add(key + " entry \"" + path + "\": must be a JSON Pointer starting with '/' (\"/metadata/labels/x\"; '~1' stands for '/' inside a name)");
                continue;
            }
            try {
                com.fasterxml.jackson.core.JsonPointer.compile(path);
            } catch (IllegalArgumentException e) {
                problems.add(key + " entry \"" + path + "\": not a JSON Pointer (" + e.getMessage() + ")");
                continue;
            }
            if (UNDROPPABLE.contains(path)) {
                problems.add(key + " entry \"" + path + "\": identifies the object (keys and headers need it); it cannot be dropped");
            }
        }
        return List.copyOf(paths);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    /** Typed reads that record a problem instead of throwing, so every mistake is reported at once. */
    private static final class Reader {
        private final Config config;
        private final List<String> problems;
        private final String prefix;

        Reader(Config config, List<String> problems) {
            this(config, problems, "");
        }

        /** @param prefix put before each key in problems: "clusters[1]." */
        Reader(Config config, List<String> problems, String prefix) {
            this.config = config;
            this.problems = problems;
            this.prefix = prefix;
        }

        String string(String key) {
            try {
                return config.getString(key);
            } catch (ConfigException e) {
                problems.add(prefix + key + ": " + describe(e, "a string"));
                return null;
            }
        }

        boolean bool(String key) {
            try {
                return config.getBoolean(key);
            } catch (ConfigException e) {
                problems.add(prefix + key + "=" + raw(key) + ": must be true or false");
                return false;
            }
        }

        int integer(String key) {
            try {
                return config.getInt(key);
            } catch (ConfigException e) {
                problems.add(prefix + key + "=" + raw(key) + ": must be a whole number");
                return 0;
            }
        }

        int intAtLeast(String key, int minimum) {
            int value = integer(key);
            if (value < minimum && config.hasPath(key) && isNumber(key)) {
                problems.add(prefix + key + "=" + value + ": must be at least " + minimum);
            }
            return value;
        }

        Duration positiveDuration(String key) {
            try {
                Duration value = config.getDuration(key);
                if (value.isZero() || value.isNegative()) {
                    problems.add(prefix + key + "=" + raw(key) + ": must be a positive duration like 30s or 5m");
                }
                return value;
            } catch (ConfigException e) {
                problems.add(prefix + key + "=" + raw(key) + ": must be a duration like 30s or 5m");
                return null;
            }
        }

        long bytes(String key) {
            try {
                return config.getBytes(key);
            } catch (ConfigException e) {
                problems.add(prefix + key + "=" + raw(key) + ": must be a size like 16MiB");
                return 0;
            }
        }

        Map<String, String> map(String key) {
            Map<String, String> values = new TreeMap<>();
            try {
                for (Map.Entry<String, ConfigValue> entry : config.getConfig(key).entrySet()) {
                    values.put(String.join(".", ConfigUtil.splitPath(entry.getKey())), String.valueOf(entry.getValue().unwrapped()));
                }
            } catch (ConfigException e) {
                problems.add(prefix + key + ": must be an object of settings, e.g. { \"compression.type\" = \"lz4\" }");
            }
            return new LinkedHashMap<>(values);
        }

        private boolean isNumber(String key) {
            return config.getValue(key).valueType() == ConfigValueType.NUMBER;
        }

        private String raw(String key) {
            return config.hasPath(key) ? config.getValue(key).render() : "(missing)";
        }

        private static String describe(ConfigException e, String expected) {
            return e instanceof ConfigException.Missing ? "missing" : "must be " + expected;
        }
    }
}
