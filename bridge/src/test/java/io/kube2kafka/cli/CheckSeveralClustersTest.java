package io.kube2kafka.cli;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./kube2kafka check with a clusters list: every line says which cluster it is about, every fix names the entry. */
@ExtendWith(KafkaBroker.class)
class CheckSeveralClustersTest {

    @Test
    void checksEachClusterAndNamesTheEntryToFix(@TempDir Path dir, EmbeddedKafkaBroker broker) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 6);
        try (SimulatedApiServer east = SimulatedApiServer.builder().build().start().addStandardResources();
             SimulatedApiServer west = SimulatedApiServer.builder().build().start().addStandardResources()) {
            Path file = Files.writeString(dir.resolve("several.conf"), "kube2kafka {\n"
                    + " kafka.bootstrap-servers = \"" + broker.bootstrapServers() + "\"\n kafka.checkpoint-topic = east" + id + ".checkpoints\n"
                    + " clusters = [\n"
                    + "  { cluster = east" + id + ", kubernetes.url = \"" + east.url() + "\", resources = [pods] }\n"
                    + "  { cluster = west" + id + ", kubernetes.url = \"" + west.url() + "\", resources = [pods, gizmos.example.com] }\n"
                    + " ]\n}\n");
            StringWriter out = new StringWriter();
            CommandLine commandLine = new CommandLine(new Main());
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(new StringWriter(), true));
            int status = commandLine.execute("check", "--config", file.toString());

            String text = out.toString();
            assertEquals(Main.CONFIGURATION_ERROR, status, text);
            assertTrue(text.contains("OK    cluster east" + id + ": api server " + east.url()), text);
            assertTrue(text.contains("OK    cluster west" + id + ": resource pods"), text);
            assertTrue(text.contains("FAIL  cluster west" + id + ": resource gizmos.example.com"), text);
            assertTrue(text.contains("fix: fix clusters[1].resources[].resource"), text);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("OK    topic ") && l.contains("k8s.west" + id + ".core.pods")), text);
        }
    }
}
