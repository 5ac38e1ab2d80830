package io.kube2kafka.bench;

import com.typesafe.config.ConfigFactory;
import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.SettingsLoader;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.WatchStatus;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** The real bridge, configured as a user would, watching pods of a simulated server. */
final class BridgeRun {
    private BridgeRun() {
    }

    /**
     * @param cluster unique per run, so runs sharing a broker never read each other's topics or checkpoints
     */
    static BridgeSettings settings(URI apiServer, String bootstrapServers, String cluster, String extraHocon) throws Exception {
        String hocon = "kube2kafka {\n cluster = " + cluster + "\n http.port = -1\n"
                + " kubernetes.url = \"" + apiServer + "\"\n"
                + " kafka.bootstrap-servers = \"" + bootstrapServers + "\"\n"
                + " kafka.checkpoint-topic = " + cluster + ".checkpoints\n"
                + " resources = [ { resource = pods } ]\n"
                // Long enough that no watch is reopened during a run.
                + " watch { timeout = 30m }\n"
                + extraHocon + "\n}";
        List<String> problems = new ArrayList<>();
        return new SettingsLoader(Map.of()).from(ConfigFactory.parseString(hocon), problems);
    }

    static Bridge startWatching(BridgeSettings settings) throws Exception {
        Bridge bridge = Bridge.start(settings, Pauser.REAL);
        await(() -> bridge.watchStatuses().stream().allMatch(s -> s.state() == WatchStatus.State.WATCHING),
                600_000, "the bridge's watch to open");
        return bridge;
    }

    /** Polls every 2 ms: cheap on 2 busy cores (every 100 us cost a bridge round 50 ms of CPU); rounds take their end time from a commit listener, not from this. */
    static void await(BooleanSupplier condition, long timeoutMillis, String what) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeoutMillis + " ms waiting for " + what);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }
}
