package io.kube2kafka.cli;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.BridgeProcess;
import io.kube2kafka.testing.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Invalid kafka.producer settings are a configuration error naming the key (exit 2), never a retry loop. */
@ExtendWith(KafkaBroker.class)
class ProducerSettingsTest {

    @Test
    void badValuesAndTyposExitTwoNamingEachKey(@TempDir Path dir) throws Exception {
        File config = BridgeProcess.config(dir, """
                kube2kafka {
                  kafka.bootstrap-servers = "127.0.0.1:9"
                  kafka.producer {
                    "compression.type" = zip
                    acks = 7
                    "max.request.size" = big
                    "linger.msx" = 5
                    "transactional.id" = mine
                    "my.interceptor.setting" = kept
                  }
                }
                """);
        try (BridgeProcess bridge = BridgeProcess.start(dir, "run", "--config", config.getPath())) {
            assertEquals(2, bridge.waitFor(), bridge.log());
            String log = bridge.log();
            assertTrue(log.contains("kafka.producer.\"compression.type\"=\"zip\": String must be one of"), log);
            assertTrue(log.contains("kafka.producer.\"acks\"=\"7\":"), log);
            assertTrue(log.contains("kafka.producer.\"max.request.size\"=\"big\":"), log);
            assertTrue(log.contains("kafka.producer.\"linger.msx\": not a Kafka producer setting (did you mean \"linger.ms\"?)"), log);
            assertTrue(log.contains("kafka.producer.\"transactional.id\": set kafka.transactional-id instead"), log);
            assertTrue(!log.contains("my.interceptor.setting"), "a plugin's own setting passes: " + log);
        }
    }

    @Test
    void settingsTheProducerRefusesTogetherExitTwoNamingThem(@TempDir Path dir, EmbeddedKafkaBroker broker) throws Exception {
        try (SimulatedApiServer server = SimulatedApiServer.builder().build().start()) {
            server.addStandardResources();
            String cluster = "prod" + UUID.randomUUID().toString().substring(0, 6);
            // Each value is fine alone; a transactional producer refuses them together.
            File config = BridgeProcess.config(dir, "kube2kafka { cluster = " + cluster + "\n kubernetes.url = \"" + server.url() + "\"\n"
                    + " kafka.bootstrap-servers = \"" + broker.bootstrapServers() + "\"\n http.port = -1\n resources = [ pods ]\n"
                    + " kafka.producer { \"enable.idempotence\" = false } }");
            try (BridgeProcess bridge = BridgeProcess.start(dir, "run", "--config", config.getPath())) {
                assertEquals(2, bridge.waitFor(), bridge.log());
                String log = bridge.log();
                assertTrue(log.contains("kafka.producer: the Kafka producer refuses these settings (with kafka.delivery=exactly-once)"), log);
                assertTrue(log.contains("idempotence"), log);
            }
        }
    }
}
