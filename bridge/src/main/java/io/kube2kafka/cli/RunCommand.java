package io.kube2kafka.cli;

import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.bridge.StartupProgress;
import io.kube2kafka.cluster.ClusterConfigException;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.ConfigKeys;
import io.kube2kafka.config.ConfigurationException;
import io.kube2kafka.ops.OpsServer;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.UnknownResourceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

@Command(name = "run", description = "Run the bridge. Without kafka.bootstrap-servers it starts an embedded single-node Kafka broker "
        + "(in a source checkout only).")
public final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        // First of all, so a stop requested while the configuration loads is not a default 143 exit.
        StopSignal stop = StopSignal.install();
        BridgeSettings settings = config.load();
        LocalKafka.Running broker = null;
        try {
            if (settings.kafka().embedded()) {
                Optional<LocalKafka> local = LocalKafka.find();
                if (local.isEmpty()) {
                    throw new ConfigurationException(List.of(ConfigKeys.BOOTSTRAP_CONFIG + "=\"\": set it to your Kafka brokers (host:port,...); "
                            + "the embedded single-node broker is a development tool that only a source checkout has (./kube2kafka run there)"));
                }
                // Formatting and starting a broker takes seconds; a signal meanwhile should not be lost.
                broker = local.get().start(settings.kafka());
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
    public static int runUntilStopped(BridgeSettings settings, StopSignal stop) throws Exception {
        return runUntilStopped(settings, stop, bridge -> { });
    }

    /** @param onStarted told of the running bridge (the demo's live summary reads it) */
    public static int runUntilStopped(BridgeSettings settings, StopSignal stop, Consumer<Bridge> onStarted) throws Exception {
        StartupProgress progress = new StartupProgress();
        OpsServer ops = null;
        if (settings.httpPort() >= 0) {
            // Before the bridge starts: /readyz then names the start-up step that waits (discovery, Kafka, fencing).
            try {
                ops = OpsServer.starting(settings.httpAddress(), settings.httpPort(), progress);
            } catch (IOException e) {
                log.error("http.address={} http.port={}: cannot serve /metrics, /healthz and /readyz there ({}); "
                        + "choose a free port, 0 for any, or -1 to turn the server off", settings.httpAddress(), settings.httpPort(), e.getMessage());
                return Main.CONFIGURATION_ERROR;
            }
        }
        try {
            return runUntilStopped(settings, stop, onStarted, progress, ops);
        } finally {
            if (ops != null) {
                ops.close();
            }
        }
    }

    private static int runUntilStopped(BridgeSettings settings, StopSignal stop, Consumer<Bridge> onStarted, StartupProgress progress,
                                       OpsServer ops) throws Exception {
        Bridge bridge;
        try {
            bridge = Bridge.start(settings, Pauser.REAL, progress);
        } catch (UnknownResourceException e) {
            log.error("{} ({})", e.getMessage(), e.keyPath());
            return Main.CONFIGURATION_ERROR;
        } catch (ClusterConfigException e) {
            log.error("{}", e.getMessage());
            return Main.CONFIGURATION_ERROR;
        } catch (InterruptedException e) {
            log.info("stopped during start-up; nothing was published");
            return 0;
        }
        if (ops != null) {
            ops.serve(bridge);
        }
        onStarted.accept(bridge);
        stop.started();
        while (!stop.await(200)) {
            if (bridge.stopped().isDone()) {
                break;
            }
        }
        Throwable fatal = bridge.stopped().getNow(null);
        log.info(fatal == null ? "stopping: publishing and committing what is in flight" : "stopping after a fatal error");
        bridge.close();
        if (fatal instanceof UnknownResourceException || fatal instanceof ClusterConfigException || fatal instanceof ConfigurationException) {
            // A cluster that was unreachable at start-up showed a configuration error once it answered.
            return Main.CONFIGURATION_ERROR;
        }
        return fatal == null ? 0 : Main.FATAL_ERROR;
    }
}
