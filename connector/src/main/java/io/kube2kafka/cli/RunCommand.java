package io.kube2kafka.cli;

import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.cluster.ClusterConfigException;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.ConfigurationException;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.UnknownResourceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run", description = "Run the bridge. Without kafka.bootstrap-servers it starts an embedded single-node Kafka broker.")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        BridgeSettings settings;
        try {
            settings = config.load();
        } catch (ConfigurationException e) {
            System.err.println("kube2kafka: " + e.getMessage());
            return Main.CONFIGURATION_ERROR;
        }
        StopSignal stop = StopSignal.install();
        EmbeddedKafkaBroker broker = null;
        try {
            if (settings.kafka().embedded()) {
                // Formatting and starting a broker takes seconds; a signal meanwhile should not be lost.
                broker = new EmbeddedKafkaBroker(settings.kafka().embeddedDataDir(), settings.kafka().embeddedPort(), Map.of()).start();
                log.info("embedded Kafka broker listening on {} (data in {})", broker.bootstrapServers(), broker.dataDir());
                settings = settings.withKafka(settings.kafka().withBootstrapServers(broker.bootstrapServers()));
            }
            return runUntilStopped(settings, stop);
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    /** Starts the bridge and waits for a signal or a fatal error; shared with the demo. */
    static int runUntilStopped(BridgeSettings settings, StopSignal stop) throws Exception {
        Bridge bridge;
        try {
            bridge = Bridge.start(settings, Pauser.REAL);
        } catch (UnknownResourceException e) {
            log.error("{} (resources[].resource)", e.getMessage());
            return Main.CONFIGURATION_ERROR;
        } catch (ClusterConfigException e) {
            log.error("{}", e.getMessage());
            return Main.CONFIGURATION_ERROR;
        } catch (InterruptedException e) {
            log.info("stopped during start-up; nothing was published");
            return 0;
        }
        stop.started();
        while (!stop.await(200)) {
            if (bridge.stopped().isDone()) {
                break;
            }
        }
        Throwable fatal = bridge.stopped().getNow(null);
        log.info(fatal == null ? "stopping: publishing and committing what is in flight" : "stopping after a fatal error");
        bridge.close();
        return fatal == null ? 0 : Main.FATAL_ERROR;
    }
}
