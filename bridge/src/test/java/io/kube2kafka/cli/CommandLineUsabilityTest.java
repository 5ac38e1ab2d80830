package io.kube2kafka.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.config.BuildVersion;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.BridgeProcess;
import io.kube2kafka.testing.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line behaves like its neighbours: --help everywhere, a tail that shows records and stops when asked. */
@ExtendWith(KafkaBroker.class)
class CommandLineUsabilityTest {

    @Test
    void everySubcommandAnswersHelpWithItsUsage() {
        CommandLine commandLine = Main.commandLine();
        for (String name : commandLine.getSubcommands().keySet()) {
            StringWriter out = new StringWriter();
            CommandLine fresh = Main.commandLine();
            fresh.setOut(new PrintWriter(out));
            fresh.setErr(new PrintWriter(out));
            assertEquals(0, fresh.execute(name, "--help"), name + " --help exits 0: " + out);
            assertTrue(out.toString().startsWith("Usage: kube2kafka " + name), name + " --help prints its usage: " + out);
        }
        StringWriter version = new StringWriter();
        CommandLine fresh = Main.commandLine();
        fresh.setOut(new PrintWriter(version));
        assertEquals(0, fresh.execute("--version"));
        assertEquals("kube2kafka " + BuildVersion.get(), version.toString().trim(), "the version is the build's");
    }

    @Test
    void runHelpAsAUserTypesIt(@TempDir Path dir) throws Exception {
        try (BridgeProcess help = BridgeProcess.start(dir, "run", "--help")) {
            assertEquals(0, help.waitFor(), help.log());
            assertTrue(help.log().contains("Usage: kube2kafka run") && help.log().contains("--config=FILE"), help.log());
        }
    }

    @Test
    void tailPrintsKeyValuePartitionAndOffsetStopsAtTheEndOrAfterMax(@TempDir Path dir, EmbeddedKafkaBroker broker) throws Exception {
        String topic = "tail-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(Set.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 3; i++) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, bytes("uid-" + i), bytes("{\"type\":\"ADDED\",\"n\":" + i + "}"));
                record.headers().add("k8s.type", bytes("ADDED"));
                producer.send(record).get();
            }
            producer.send(new ProducerRecord<>(topic, bytes("uid-0"), null)).get(); // a tombstone
        }
        File config = BridgeProcess.config(dir, "kube2kafka.kafka.bootstrap-servers = \"" + broker.bootstrapServers() + "\"");

        try (BridgeProcess tail = BridgeProcess.start(dir, Map.of("KUBE2KAFKA_LOG_LEVEL", "WARN"),
                "tail", topic, "--config", config.getPath(), "--from-beginning", "--exit-at-end", "--json")) {
            assertEquals(0, tail.waitFor(), "--exit-at-end stops at the end of the topic; log:\n" + tail.log());
            List<JsonNode> records = jsonLines(tail.log());
            assertEquals(4, records.size(), tail.log());
            for (int i = 0; i < 3; i++) {
                JsonNode record = records.get(i);
                assertEquals(topic, record.path("topic").asText());
                assertEquals(0, record.path("partition").asInt());
                assertEquals(i, record.path("offset").asLong());
                assertEquals("uid-" + i, record.path("key").asText());
                assertEquals("{\"type\":\"ADDED\",\"n\":" + i + "}", record.path("payload").asText());
                assertEquals("k8s.type", record.path("headers").get(0).asText());
                assertEquals("ADDED", record.path("headers").get(1).asText());
            }
            assertTrue(records.get(3).path("payload").isNull(), "a tombstone's payload is null: " + records.get(3));
        }

        try (BridgeProcess tail = BridgeProcess.start(dir, "tail", topic, "--config", config.getPath(), "--from-beginning", "--max", "2")) {
            assertEquals(0, tail.waitFor(), "--max stops after N records; log:\n" + tail.log());
            List<String> lines = Arrays.stream(tail.log().split("\n")).filter(l -> l.contains(" key=uid-")).toList();
            assertEquals(2, lines.size(), tail.log());
            assertTrue(lines.get(0).contains(topic + "-0@0") && lines.get(0).endsWith("key=uid-0 {\"type\":\"ADDED\",\"n\":0}"), lines.get(0));
            assertTrue(lines.get(1).contains(topic + "-0@1"), lines.get(1));
        }
    }

    @Test
    void logLevelComesFromTheEnvironment(@TempDir Path dir) throws Exception {
        try (SimulatedApiServer server = SimulatedApiServer.builder().build().start()) {
            server.addStandardResources();
            // Fails at discovery (exit 2) after the ops server logged at INFO that it serves.
            File config = BridgeProcess.config(dir, "kube2kafka { kubernetes.url = \"" + server.url() + "\"\n"
                    + " kafka.bootstrap-servers = \"127.0.0.1:1\"\n http.port = 0\n resources = [ gizmos.example.com ] }");
            try (BridgeProcess info = BridgeProcess.start(dir, "run", "--config", config.getPath())) {
                assertEquals(2, info.waitFor(), info.log());
                assertTrue(info.log().contains("INFO  OpsServer - serving /metrics"), "INFO by default:\n" + info.log());
            }
            try (BridgeProcess errors = BridgeProcess.start(dir, Map.of("KUBE2KAFKA_LOG_LEVEL", "ERROR"), "run", "--config", config.getPath())) {
                assertEquals(2, errors.waitFor(), errors.log());
                assertTrue(errors.log().contains("unknown resource \"gizmos.example.com\"") && !errors.log().contains(" INFO "),
                        "KUBE2KAFKA_LOG_LEVEL=ERROR keeps only errors:\n" + errors.log());
            }
        }
    }

    private static List<JsonNode> jsonLines(String log) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> records = new java.util.ArrayList<>();
        for (String line : log.split("\n")) {
            if (line.startsWith("{\"topic\"")) {
                records.add(json.readTree(line));
            }
        }
        return records;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
