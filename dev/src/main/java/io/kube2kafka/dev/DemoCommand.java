package io.kube2kafka.dev;

import com.typesafe.config.ConfigFactory;
import io.kube2kafka.cli.RunCommand;
import io.kube2kafka.cli.StopSignal;
import io.kube2kafka.cli.RecordLine;
import io.kube2kafka.cli.TailCommand;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.SettingsLoader;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.SimResource;
import io.kube2kafka.sim.SimulatedApiServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Everything on one machine: an embedded broker in a fresh directory, a simulated cluster with
 * churn (pods, deployments, configmaps and a CRD), the bridge, and the records printed as they land.
 */
@Command(name = "demo", description = "Embedded Kafka + simulated cluster with churn + the bridge, printing records as they land. Ctrl-C stops it.")
final class DemoCommand implements Callable<Integer> {
    private static final List<String> RESOURCES = List.of("pods", "deployments.apps", "configmaps", "widgets.example.com");

    @Option(names = "--changes-per-second", defaultValue = "5", description = "object changes the simulated cluster makes per second (default ${DEFAULT-VALUE})")
    int changesPerSecond;

    @Override
    public Integer call() throws Exception {
        StopSignal stop = StopSignal.install();
        Path dataDir = Files.createTempDirectory("kube2kafka-demo");
        ScheduledExecutorService churnTimer = Executors.newSingleThreadScheduledExecutor();
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, 0, Map.of()).start();
             SimulatedApiServer cluster = SimulatedApiServer.builder().bookmarkInterval(Duration.ofSeconds(10)).build().start()) {
            cluster.addStandardResources();
            cluster.addResource(new SimResource("example.com", "v1", "widgets", "Widget", true));
            ClusterChurn churn = new ClusterChurn(cluster, RESOURCES, System.nanoTime());
            churn.populate(3);
            System.out.println("demo: Kafka on " + broker.bootstrapServers() + ", simulated API server on " + cluster.url());
            BridgeSettings settings = demoSettings(broker, cluster);
            Thread printer = new Thread(() -> printRecords(broker.bootstrapServers(), settings, stop), "demo-printer");
            printer.setDaemon(true);
            printer.start();
            churnTimer.scheduleAtFixedRate(churn::step, 2000, Math.max(1, 1000 / Math.max(1, changesPerSecond)), TimeUnit.MILLISECONDS);
            System.out.println(hint(broker.bootstrapServers()));
            ScheduledExecutorService summaryTimer = churnTimer;
            int status = RunCommand.runUntilStopped(settings, stop, bridge -> {
                DemoSummary summary = new DemoSummary(bridge);
                summaryTimer.scheduleAtFixedRate(() -> System.out.print(summary.next()), 5, 5, TimeUnit.SECONDS);
            });
            churnTimer.shutdownNow();
            return status;
        } finally {
            churnTimer.shutdownNow();
            deleteRecursively(dataDir);
        }
    }

    /** How to read the topics without kube2kafka: any consumer, as long as it reads committed records only. */
    private static String hint(String bootstrap) {
        return "demo: read the topics with any Kafka consumer (isolation.level=read_committed, so aborted transactions stay invisible):\n"
                + "        KUBE2KAFKA_KAFKA_BOOTSTRAP_SERVERS=" + bootstrap + " ./kube2kafka tail k8s.demo.core.pods --from-beginning\n"
                + "        kafka-console-consumer.sh --bootstrap-server " + bootstrap + " --topic k8s.demo.core.pods --from-beginning \\\n"
                + "          --consumer-property isolation.level=read_committed --property print.key=true --property print.headers=true\n"
                + "      a live summary follows every 5 s; metrics at the http:// address logged below (/metrics, /readyz). Ctrl-C stops.";
    }

    private static BridgeSettings demoSettings(EmbeddedKafkaBroker broker, SimulatedApiServer cluster) throws Exception {
        StringBuilder resources = new StringBuilder();
        RESOURCES.forEach(r -> resources.append("{ resource = \"").append(r).append("\" }\n"));
        String hocon = "kube2kafka {\n cluster = demo\n http.port = 0\n kubernetes.url = \"" + cluster.url() + "\"\n"
                + " kafka.bootstrap-servers = \"" + broker.bootstrapServers() + "\"\n"
                + " kafka.partitions = 1\n resources = [\n" + resources + "]\n}";
        return new SettingsLoader(Map.of()).from(ConfigFactory.parseString(hocon), new ArrayList<>());
    }

    private static void printRecords(String bootstrap, BridgeSettings settings, StopSignal stop) {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrap);
        try (KafkaConsumer<byte[], byte[]> consumer = TailCommand.consumer(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            while (partitions.size() < RESOURCES.size() && !stop.isRequested()) {
                partitions.clear();
                consumer.listTopics(Duration.ofSeconds(10)).forEach((topic, infos) -> {
                    if (topic.startsWith("k8s.demo.")) {
                        infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                    }
                });
                Thread.sleep(200);
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!stop.isRequested()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    System.out.println(RecordLine.format(record));
                }
                System.out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("demo: the record printer stopped: " + e.getMessage());
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("demo: could not remove " + dir + ": " + e.getMessage());
        }
    }
}
