package io.kube2kafka.connect;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.ConfigKey;
import io.kube2kafka.config.ConfigKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every key of the standalone bridge either works under Connect or is refused with the reason, so a
 * key added to the bridge cannot be silently ignored by the connector (as output.drop-paths once was).
 */
class ConnectorKeysTest {
    /** Values other than the default for keys whose format a type alone cannot guess. */
    private static final Map<String, String> SAMPLES = Map.of(
            ConfigKeys.CLUSTER_CONFIG, "other",
            ConfigKeys.URL_CONFIG, "https://127.0.0.1:6443",
            ConfigKeys.BOOTSTRAP_CONFIG, "127.0.0.1:9093",
            ConfigKeys.TOPIC_CONFIG, "k8s.{resource}",
            ConfigKeys.RESOURCES_CONFIG, "[ pods, { resource = deployments.apps, namespaces = [shop] } ]",
            ConfigKeys.DROP_PATHS_CONFIG, "/status,/metadata/labels",
            ConfigKeys.EXCLUDE_CONFIG, "events,pods",
            ConfigKeys.OVERSIZED_CONFIG, "fail",
            ConfigKeys.REPLICATION_CONFIG, "2",
            ConfigKeys.INITIAL_LIST_CONFIG, "paginated");

    @TempDir
    Path dir;

    private static Map<String, String> minimal() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("connector.class", KubernetesSourceConnector.class.getName());
        props.put(ConfigKeys.BOOTSTRAP_CONFIG, "127.0.0.1:9092");
        props.put(ConfigKeys.URL_CONFIG, "http://127.0.0.1:8080");
        return props;
    }

    @Test
    void everyKeyOfTheBridgeWorksUnderConnectOrIsRefusedWithTheReason() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "token");
        Config reference = ConfigFactory.defaultReference().getConfig("kube2kafka");
        BridgeSettings defaults = new KubernetesSourceConfig(minimal()).bridgeSettings();
        List<String> undecided = new ArrayList<>();
        for (ConfigKey key : ConfigKeys.ALL) {
            boolean connectorKey = KubernetesSourceConfig.CONFIG_DEF.names().contains(key.name());
            boolean prefixKey = ConnectorKeys.PREFIX_KEYS.contains(key.name());
            String reason = ConnectorKeys.NOT_UNDER_CONNECT.get(key.name());
            int decisions = (connectorKey ? 1 : 0) + (prefixKey ? 1 : 0) + (reason != null ? 1 : 0);
            if (decisions != 1) {
                undecided.add(key.name() + " (" + decisions + " decisions)");
                continue;
            }
            Map<String, String> props = minimal();
            String name = key.type() == ConfigKey.Type.MAP ? key.name() + ".retention.ms" : key.name();
            if (reason != null) {
                props.put(name, "x");
                List<String> problems = KubernetesSourceConfig.connectProblems(props).get(name);
                assertTrue(problems != null && problems.get(0).contains(reason), name + " is refused with the reason: " + problems);
                continue;
            }
            props.put(name, key.type() == ConfigKey.Type.MAP ? "1000" : sample(key, reference, file));
            assertEquals(Map.of(), KubernetesSourceConfig.connectProblems(props), name);
            BridgeSettings settings = new KubernetesSourceConfig(props).bridgeSettings();
            assertNotEquals(defaults, settings, name + "=" + props.get(name) + " reaches the settings the connector runs with");
        }
        assertEquals(List.of(), undecided, "each bridge key is a connector key, a prefix key or refused with a reason "
                + "(ConnectorKeys), exactly one of them");
    }

    /** A valid value other than the default. */
    private static String sample(ConfigKey key, Config reference, Path file) {
        if (SAMPLES.containsKey(key.name())) {
            return SAMPLES.get(key.name());
        }
        if (key.name().endsWith("-file") || key.name().endsWith(".kubeconfig")) {
            return file.toString();
        }
        return switch (key.type()) {
            case BOOLEAN -> Boolean.toString(!reference.getBoolean(key.name()));
            case INT -> Integer.toString(reference.getInt(key.name()) + 1);
            case DURATION -> (reference.getDuration(key.name()).toMillis() + 1000) + "ms";
            case BYTES -> (reference.getBytes(key.name()) + 1024 * 1024) + "B";
            default -> "x" + reference.getString(key.name());
        };
    }

    @Test
    void topicConfigsAreKeysOfTheirOwn() {
        Map<String, String> props = minimal();
        props.put("kafka.topic-config.retention.ms", "1000");
        assertEquals(Map.of("cleanup.policy", "compact", "retention.ms", "1000"),
                new KubernetesSourceConfig(props).bridgeSettings().kafka().topicConfig(), "merged with the bridge's default");
    }

    @Test
    void topicSettingsThatTopicCreationWouldLeaveUnusedAreRefused() {
        Map<String, String> props = minimal();
        props.put("topic.creation.default.partitions", "3");
        props.put("topic.creation.default.replication.factor", "1");
        props.put(ConfigKeys.PARTITIONS_CONFIG, "6");
        props.put("kafka.topic-config.retention.ms", "1000");
        Map<String, List<String>> problems = KubernetesSourceConfig.connectProblems(props);
        assertEquals(List.of(ConfigKeys.PARTITIONS_CONFIG, "kafka.topic-config.retention.ms"), List.copyOf(problems.keySet()));
        assertTrue(problems.get(ConfigKeys.PARTITIONS_CONFIG).get(0).contains("topic.creation.default.partitions"), problems.toString());
    }

    @Test
    void aTypoUnderTheBridgesKeysIsRefused() {
        Map<String, String> props = minimal();
        props.put("output.drop-path", "/status");
        props.put("transforms", "none");
        Map<String, List<String>> problems = KubernetesSourceConfig.connectProblems(props);
        assertEquals(List.of("output.drop-path"), List.copyOf(problems.keySet()), "Connect's own keys are left alone");
        assertTrue(problems.get("output.drop-path").get(0).contains("unknown key"), problems.toString());
    }
}
