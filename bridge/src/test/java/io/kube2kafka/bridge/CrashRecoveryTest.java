package io.kube2kafka.bridge;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.Chunking;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeProcess;
import io.kube2kafka.testing.ExactlyOnce;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.TopicContents;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Guarantee 1 and 2: the bridge is killed with SIGKILL at arbitrary points during continuous churn,
 * several times in a row, and restarted each time. A read_committed consumer must then see every
 * change exactly once (exactly-once) or at least once (at-least-once, duplicates counted).
 */
@ExtendWith(KafkaBroker.class)
class CrashRecoveryTest {
    private static final int KILLS = 4;

    @ParameterizedTest
    @ValueSource(strings = {"exactly-once", "at-least-once"})
    void killedAtRandomInstantsDuringChurnThenRestartedNothingIsLost(String delivery, @TempDir Path dir, EmbeddedKafkaBroker broker) throws Exception {
        String cluster = "crash" + UUID.randomUUID().toString().substring(0, 6);
        String topic = "k8s." + cluster + ".core.pods";
        Random random = new Random(delivery.hashCode());
        ScheduledExecutorService churner = Executors.newSingleThreadScheduledExecutor();
        try (SimulatedApiServer server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(300))
                .chunking(Chunking.randomSplits(3)).build().start()) {
            server.addStandardResources();
            ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 21);
            churn.populate(10);
            File config = BridgeProcess.config(dir, "kube2kafka { cluster = " + cluster + "\n kubernetes.url = \"" + server.url() + "\"\n"
                    + " kafka.bootstrap-servers = \"" + broker.bootstrapServers() + "\"\n kafka.delivery = " + delivery + "\n"
                    + " http.port = -1\n resources = [ pods ] }");

            long after;
            try (BridgeProcess first = BridgeProcess.start(dir, "run", "--config", config.getPath())) {
                Await.until(() -> TopicContents.read(broker.bootstrapServers(), topic).liveResourceVersions().size() == 10,
                        Duration.ofSeconds(90), () -> "the first list is in Kafka; log:\n" + first.log());
                after = Long.parseLong(server.currentResourceVersion());
                churner.scheduleAtFixedRate(churn::step, 0, 15, TimeUnit.MILLISECONDS);
                killAfterProgress(first, broker, topic, random);
            }
            for (int kill = 1; kill < KILLS; kill++) {
                try (BridgeProcess bridge = BridgeProcess.start(dir, "run", "--config", config.getPath())) {
                    killAfterProgress(bridge, broker, topic, random);
                }
            }
            churner.shutdownNow();
            churner.awaitTermination(10, TimeUnit.SECONDS);

            Map<String, String> live = new LinkedHashMap<>();
            server.liveObjects("pods").forEach(o -> live.put(o.path("metadata").path("uid").asText(), o.path("metadata").path("resourceVersion").asText()));
            try (BridgeProcess last = BridgeProcess.start(dir, "run", "--config", config.getPath())) {
                Await.until(() -> TopicContents.read(broker.bootstrapServers(), topic).liveResourceVersions().equals(live),
                        Duration.ofSeconds(90), () -> "the compacted topic equals the cluster after the crashes; log:\n" + last.log());
                // The topic may match before this JVM has even installed its signal handlers (SIGTERM would exit 143).
                Await.until(() -> last.log().contains("streaming 1 watch"), Duration.ofSeconds(60), () -> "the bridge started; log:\n" + last.log());
                assertEquals(0, last.terminate(), last.log());
            }
            TopicContents contents = TopicContents.read(broker.bootstrapServers(), topic);
            List<String> duplicates = ExactlyOnce.duplicates(contents);
            System.out.printf("%s after %d SIGKILLs: %d watch events, %d published more than once%n",
                    delivery, KILLS, ExactlyOnce.watchEventCounts(contents).size(), duplicates.size());
            if (delivery.equals("exactly-once")) {
                ExactlyOnce.assertEveryChangeExactlyOnce(contents, server.changes("pods"), after);
            } else {
                assertEquals(List.of(), ExactlyOnce.missing(contents, server.changes("pods"), after), "at-least-once loses nothing");
            }
        } finally {
            churner.shutdownNow();
        }
    }

    /** Waits until the bridge has committed a random number of further records, then kills it: an arbitrary instant. */
    private static void killAfterProgress(BridgeProcess bridge, EmbeddedKafkaBroker broker, String topic, Random random) throws InterruptedException {
        int before = TopicContents.read(broker.bootstrapServers(), topic).records().size();
        int more = 5 + random.nextInt(40);
        Await.until(() -> TopicContents.read(broker.bootstrapServers(), topic).records().size() >= before + more,
                Duration.ofSeconds(90), () -> "the bridge publishes again after its restart; log:\n" + bridge.log());
        bridge.kill();
    }
}
