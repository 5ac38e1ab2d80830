package io.kube2kafka.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kube2kafka.watch.InitialList;
import io.kube2kafka.watch.WatchSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads the configuration in layers (environment over {@code --config FILE} over the default file in
 * {@code config/} over the jar's reference.conf) and validates all of it, reporting every problem at
 * once: a user fixing a file should not have to run the bridge once per typo.
 *
 * <p>The steps live in their own classes: ConfigLayers stacks the layers (with EnvironmentOverrides),
 * UnknownKeys reports misspelt keys, ClusterEntries and ResourceEntries read the clusters, ValueReader
 * reads typed values. This class builds the settings records and checks the rules between keys.
 */
public final class SettingsLoader {
    /** The path all of kube2kafka's keys live under in a file: kube2kafka.kafka.topic. */
    static final String ROOT = "kube2kafka";
    /** What Kafka allows in a topic name; cluster names share it because they become part of topic names. */
    static final Pattern TOPIC_SAFE = Pattern.compile("[a-zA-Z0-9._-]+");

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
        Config user = new ConfigLayers(environment).stack(file, defaultsFile, problems);
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return from(user, problems);
    }

    /** Validates an already parsed configuration (tests, and the Connect connector's flattened keys). */
    public BridgeSettings from(Config user, List<String> problems) throws ConfigurationException {
        Config reference = ConfigFactory.defaultReference();
        UnknownKeys.report(user, problems);
        Config config = user.withFallback(reference).resolve().getConfig(ROOT);
        ValueReader read = new ValueReader(config, problems);

        List<ClusterSettings> clusters = ClusterEntries.read(user, reference, config, problems);
        WatchSettings watch = watch(read, problems);
        KafkaSettings kafka = kafka(read, problems);
        OutputSettings output = output(read, config, problems);
        int httpPort = read.integer(ConfigKeys.HTTP_PORT_CONFIG);
        if (httpPort < -1 || httpPort > 65535) {
            problems.add(ConfigKeys.HTTP_PORT_CONFIG + "=" + httpPort + ": must be -1 (off), 0 (any free port) or a port up to 65535");
        }
        String httpAddress = read.string(ConfigKeys.HTTP_ADDRESS_CONFIG);
        Duration discoveryInterval = read.positiveDuration(ConfigKeys.DISCOVERY_INTERVAL_CONFIG);
        if (httpAddress != null && httpAddress.isBlank()) {
            problems.add(ConfigKeys.HTTP_ADDRESS_CONFIG + "=\"\": name an address to bind, e.g. 127.0.0.1 or 0.0.0.0");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return new BridgeSettings(clusters, watch, kafka, output, httpPort, httpAddress, discoveryInterval);
    }

    private static WatchSettings watch(ValueReader read, List<String> problems) {
        WatchSettings watch = new WatchSettings(read.intAtLeast(ConfigKeys.PAGE_SIZE_CONFIG, 1),
                read.positiveDuration(ConfigKeys.WATCH_TIMEOUT_CONFIG), read.positiveDuration(ConfigKeys.IDLE_TIMEOUT_CONFIG),
                read.positiveDuration(ConfigKeys.BACKOFF_INITIAL_CONFIG), read.positiveDuration(ConfigKeys.BACKOFF_MAX_CONFIG),
                read.positiveDuration(ConfigKeys.AUTH_BACKOFF_CONFIG), (int) Math.min(Integer.MAX_VALUE - 16, read.bytes(ConfigKeys.MAX_EVENT_BYTES_CONFIG)),
                read.positiveDuration(ConfigKeys.TOO_LARGE_RETRY_CONFIG), read.positiveDuration(ConfigKeys.PING_INTERVAL_CONFIG),
                initialList(read.string(ConfigKeys.INITIAL_LIST_CONFIG), problems));
        if (watch.backoffInitial() != null && watch.backoffMax() != null && watch.backoffMax().compareTo(watch.backoffInitial()) < 0) {
            problems.add(ConfigKeys.BACKOFF_MAX_CONFIG + "=" + watch.backoffMax() + ": must not be shorter than " + ConfigKeys.BACKOFF_INITIAL_CONFIG + "=" + watch.backoffInitial());
        }
        return watch;
    }

    /** The default (auto) stands in for a bad value, which is reported with the other problems. */
    private static InitialList initialList(String value, List<String> problems) {
        if (value == null) {
            return InitialList.AUTO;
        }
        try {
            return InitialList.parse(value);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return InitialList.AUTO;
        }
    }

    private KafkaSettings kafka(ValueReader read, List<String> problems) {
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
        String checkpointTopic = topicName(read, ConfigKeys.CHECKPOINT_TOPIC_CONFIG, problems);
        String notificationTopic = topicName(read, ConfigKeys.NOTIFICATION_TOPIC_CONFIG, problems);
        String signalTopic = topicName(read, ConfigKeys.SIGNAL_TOPIC_CONFIG, problems);
        int replication = read.integer(ConfigKeys.REPLICATION_CONFIG);
        if (replication == 0 || replication < -1) {
            problems.add(ConfigKeys.REPLICATION_CONFIG + "=" + replication + ": must be -1 (broker default) or at least 1");
        }
        int port = read.integer(ConfigKeys.EMBEDDED_PORT_CONFIG);
        if (port < 0 || port > 65535) {
            problems.add(ConfigKeys.EMBEDDED_PORT_CONFIG + "=" + port + ": must be 0 to 65535");
        }
        KafkaSettings kafka = new KafkaSettings(read.string(ConfigKeys.BOOTSTRAP_CONFIG), topic, checkpointTopic, notificationTopic, signalTopic,
                "exactly-once".equals(delivery), read.string(ConfigKeys.TRANSACTIONAL_ID_CONFIG),
                read.intAtLeast(ConfigKeys.PARTITIONS_CONFIG, 1), replication, read.map(ConfigKeys.TOPIC_CONFIGS_CONFIG),
                read.intAtLeast(ConfigKeys.MAX_BATCH_CONFIG, 1), read.bytes(ConfigKeys.MAX_QUEUED_CONFIG),
                read.positiveDuration(ConfigKeys.SHUTDOWN_TIMEOUT_CONFIG), read.map(ConfigKeys.PRODUCER_CONFIG),
                Path.of(nullToEmpty(read.string(ConfigKeys.EMBEDDED_DIR_CONFIG))), port);
        producerRule.check(kafka.producer(), problems);
        if (kafka.maxQueuedBytes() < 1024 * 1024) {
            problems.add(ConfigKeys.MAX_QUEUED_CONFIG + "=" + kafka.maxQueuedBytes() + ": must be at least 1MiB");
        }
        return kafka;
    }

    private static String topicName(ValueReader read, String key, List<String> problems) {
        String topic = read.string(key);
        if (topic != null && !TOPIC_SAFE.matcher(topic).matches()) {
            problems.add(key + "=\"" + topic + "\": not a valid topic name");
        }
        return topic;
    }

    private static OutputSettings output(ValueReader read, Config config, List<String> problems) {
        String oversized = read.string(ConfigKeys.OVERSIZED_CONFIG);
        if (oversized != null && !oversized.equals("marker") && !oversized.equals("fail")) {
            problems.add(ConfigKeys.OVERSIZED_CONFIG + "=\"" + oversized + "\": must be marker or fail");
        }
        return new OutputSettings(read.bool(ConfigKeys.TOMBSTONES_CONFIG), read.bool(ConfigKeys.DROP_MANAGED_FIELDS_CONFIG),
                read.bool(ConfigKeys.REDACT_SECRETS_CONFIG), "fail".equals(oversized), DropPathsSetting.read(config, problems));
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
