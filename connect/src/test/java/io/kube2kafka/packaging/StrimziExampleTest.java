package io.kube2kafka.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kube2kafka.config.BuildVersion;
import io.kube2kafka.connect.KubernetesSourceConnector;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.connect.runtime.SourceConnectorConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Strimzi example in deploy/strimzi/, rendered as its comment says (envsubst), names only
 * configuration the plugin and Connect really have: every key of the KafkaConnector's spec.config is
 * in the connector's own ConfigDef, or one of Connect's connector-level keys (converters,
 * exactly.once.support, topic.creation.*, producer.override.* of a real producer setting), and its
 * values parse; the KafkaConnect builds the archive `mvn package` writes, by its name.
 */
class StrimziExampleTest {
    private static final Path STRIMZI = Path.of("..", "deploy", "strimzi");
    private static final Map<String, String> RENDER = Map.of(
            "KUBE2KAFKA_VERSION", BuildVersion.get(),
            "KUBE2KAFKA_ARCHIVE_URL", "https://artifacts.example.com/kube2kafka",
            "KUBE2KAFKA_ARCHIVE_SHA512", "0".repeat(128));

    @Test
    void theKafkaConnectorUsesOnlyKeysThePluginAndConnectDefine() throws Exception {
        JsonNode connector = render("kafka-connector.yaml").get(0);
        assertEquals("KafkaConnector", connector.path("kind").asText());
        assertEquals(KubernetesSourceConnector.class.getName(), connector.path("spec").path("class").asText());

        ConfigDef plugin = new KubernetesSourceConnector().config();
        ConfigDef connect = SourceConnectorConfig.configDef();
        Set<String> producerKeys = ProducerConfig.configNames();
        Set<String> topicKeys = topicConfigNames();
        Map<String, String> pluginConfig = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        connector.path("spec").path("config").fields().forEachRemaining(entry -> {
            String key = entry.getKey();
            String value = entry.getValue().asText();
            if (plugin.configKeys().containsKey(key)) {
                pluginConfig.put(key, value);
            } else if (connect.configKeys().containsKey(key)) {
                connect.configKeys().get(key); // Connect's own: the worker validates its value
            } else if (key.startsWith("producer.override.") && producerKeys.contains(key.substring("producer.override.".length()))) {
                pluginConfig.put(key, value); // read by the connector too, to reach its topics
            } else if (key.startsWith("topic.creation.default.")
                    && (Set.of("partitions", "replication.factor", "include", "exclude").contains(key.substring(23))
                        || topicKeys.contains(key.substring(23)))) {
                // Connect's topic creation for the default group: its own keys or any topic config.
            } else {
                unknown.add(key);
            }
        });
        assertEquals(List.of(), unknown, "keys in kafka-connector.yaml that neither the plugin's ConfigDef nor Connect knows");
        assertTrue(pluginConfig.containsKey("resources") && pluginConfig.containsKey("kafka.bootstrap-servers"),
                "the example sets the connector's required keys: " + pluginConfig.keySet());
        // Values as the connector reads them: types and validators of the real ConfigDef.
        Map<String, Object> parsed = plugin.parse(pluginConfig);
        assertFalse(parsed.isEmpty());
    }

    @Test
    void theKafkaConnectBuildsTheVersionedArchive() throws Exception {
        List<JsonNode> documents = render("kafka-connect.yaml");
        JsonNode connect = documents.get(0);
        assertEquals("KafkaConnect", connect.path("kind").asText());
        JsonNode artifact = connect.path("spec").path("build").path("plugins").get(0).path("artifacts").get(0);
        assertEquals("zip", artifact.path("type").asText());
        // The name the confluent-hub assembly gives the archive (connector/src/assembly/confluent-hub.xml).
        assertTrue(artifact.path("url").asText().endsWith("/kube2kafka-kubernetes-source-" + BuildVersion.get() + ".zip"), artifact.toString());
        String assembly = Files.readString(Path.of("src", "assembly", "confluent-hub.xml"));
        assertTrue(assembly.contains("<baseDirectory>kube2kafka-kubernetes-source-${project.version}</baseDirectory>"), assembly);
        assertEquals("kube2kafka-connect", connector().path("metadata").path("labels").path("strimzi.io/cluster").asText(),
                "the connector names this Connect cluster");
        assertEquals(connect.path("metadata").path("name").asText(), "kube2kafka-connect");
    }

    private static JsonNode connector() throws Exception {
        return render("kafka-connector.yaml").get(0);
    }

    /** The file with ${VARIABLE}s replaced, as envsubst would, and every YAML document in it parsed. */
    private static List<JsonNode> render(String file) throws Exception {
        String text = Files.readString(STRIMZI.resolve(file), StandardCharsets.UTF_8);
        for (Map.Entry<String, String> variable : RENDER.entrySet()) {
            text = text.replace("${" + variable.getKey() + "}", variable.getValue());
        }
        assertFalse(text.matches("(?s).*\\$\\{[A-Z_]+}.*"), file + " has a variable the render does not know: " + text);
        List<JsonNode> documents = new ArrayList<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (var parser = yaml.getFactory().createParser(text)) {
            yaml.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        }
        return documents;
    }

    /** Kafka's topic-level configuration names (cleanup.policy, retention.ms, ...), from TopicConfig's constants. */
    private static Set<String> topicConfigNames() throws IllegalAccessException {
        Set<String> names = new HashSet<>();
        for (Field field : TopicConfig.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getName().endsWith("_CONFIG") && field.getType() == String.class) {
                names.add((String) field.get(null));
            }
        }
        return names;
    }
}
