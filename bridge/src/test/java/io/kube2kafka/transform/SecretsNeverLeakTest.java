package io.kube2kafka.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.TopicContents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * output.redact-secrets (the default): nothing of a Secret's values reaches Kafka or the log, whether
 * the Secret arrives by the first list, by the watch, as a change or as a deletion.
 */
@ExtendWith(KafkaBroker.class)
class SecretsNeverLeakTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> secretValues = new ArrayList<>();
    private SimulatedApiServer server;
    private StringWriter log;
    private WriterAppender appender;

    @BeforeEach
    void start() {
        server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(300)).build().start();
        server.addStandardResources();
        log = new StringWriter();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        appender = WriterAppender.newBuilder().setName("secrets-test").setTarget(log)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %c %msg %ex%n").build()).build();
        appender.start();
        config.addAppender(appender);
        // Everything the bridge logs, debug included, plus what reaches the root logger from Kafka.
        LoggerConfig bridgeLogs = new LoggerConfig("io.kube2kafka", Level.ALL, true);
        config.addLogger("io.kube2kafka", bridgeLogs);
        config.getRootLogger().addAppender(appender, Level.ALL, null);
        context.updateLoggers();
    }

    @AfterEach
    void stop() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(appender.getName());
        config.removeLogger("io.kube2kafka");
        context.updateLoggers();
        appender.stop();
        server.close();
    }

    @Test
    void noSecretValueReachesTheTopicOrTheLog(EmbeddedKafkaBroker broker) throws Exception {
        secretValues.add("s3cret"); // the simulator's template value for a new Secret's data.password
        makeSecret("listed-before-start");
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ secrets ]");
        try (Bridge bridge = harness.startWatching()) {
            makeSecret("created-while-watching");
            server.update("secrets", "default", "listed-before-start", s -> fill(s, "rotated"));
            server.delete("secrets", "default", "created-while-watching");
            harness.awaitTopicMatchesCluster("secrets", "core", "secrets");
        }
        // A restart after the watch window expired lists again and compares with the topic.
        makeSecret("created-while-stopped");
        server.compact();
        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("secrets", "core", "secrets");
        }

        TopicContents topic = harness.read("core", "secrets");
        // listed ADDED; watched ADDED + MODIFIED (the fill), MODIFIED (rotated), DELETED + tombstone; relisted ADDED
        assertEquals(7, topic.records().size(), "every change of the secrets is in the topic");
        byte[] everything = allBytes(topic.records(), TopicContents.read(broker.bootstrapServers(), harness.cluster() + ".checkpoints").records());
        String logged = log.toString();
        assertFalse(logged.isEmpty(), "the log capture works");
        for (String value : secretValues) {
            for (String form : List.of(value, base64(value))) {
                assertFalse(contains(everything, form.getBytes(StandardCharsets.UTF_8)), "the topic holds a secret value: " + form);
                assertFalse(logged.contains(form), "the log holds a secret value: " + form);
            }
        }
        // Consumers still see which keys exist and that the Secret changed.
        int filled = 0;
        for (ConsumerRecord<byte[], byte[]> record : topic.events()) {
            JsonNode object = JSON.readTree(record.value()).path("object");
            for (String field : List.of("data", "stringData")) {
                object.path(field).forEach(value -> assertEquals(ObjectTransform.REDACTED, value.asText(), field + " value redacted"));
            }
            assertFalse(object.path("metadata").path("annotations").has("kubectl.kubernetes.io/last-applied-configuration"));
            assertTrue(object.path("data").has("password"), "keys stay");
            if (object.path("stringData").has("api-token")) {
                filled++;
                assertTrue(object.path("metadata").path("annotations").has("team"), "other annotations stay");
            }
        }
        assertEquals(5, filled, "records of filled secrets (the rest are creations before the fill)");
    }

    private void makeSecret(String name) {
        server.create("secrets", "default", name, java.util.Map.of("app", "db"));
        server.update("secrets", "default", name, s -> fill(s, name));
    }

    /** data (base64, as the API server holds it), stringData and a last-applied annotation repeating both. */
    private void fill(ObjectNode secret, String label) {
        String password = "pw-" + label + "-" + UUID.randomUUID();
        String token = "tok-" + label + "-" + UUID.randomUUID();
        secretValues.add(password);
        secretValues.add(token);
        ObjectNode data = secret.putObject("data");
        data.put("password", base64(password));
        secret.putObject("stringData").put("api-token", token);
        ObjectNode annotations = secret.with("metadata").putObject("annotations");
        annotations.put("team", "storage");
        annotations.put("kubectl.kubernetes.io/last-applied-configuration",
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"data\":{\"password\":\"" + base64(password) + "\"},\"stringData\":{\"api-token\":\"" + token + "\"}}");
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    @SafeVarargs
    private static byte[] allBytes(List<ConsumerRecord<byte[], byte[]>>... topics) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (List<ConsumerRecord<byte[], byte[]>> records : topics) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                all.writeBytes(record.key() == null ? new byte[0] : record.key());
                all.writeBytes(record.value() == null ? new byte[0] : record.value());
                for (Header header : record.headers()) {
                    all.writeBytes(header.key().getBytes(StandardCharsets.UTF_8));
                    all.writeBytes(header.value() == null ? new byte[0] : header.value());
                }
                all.write('\n');
            }
        }
        return all.toByteArray();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
