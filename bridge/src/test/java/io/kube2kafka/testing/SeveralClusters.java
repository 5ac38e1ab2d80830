package io.kube2kafka.testing;

import com.typesafe.config.ConfigFactory;
import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.SettingsLoader;
import io.kube2kafka.watch.WatchStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settings for one bridge streaming several simulated clusters through the shared broker. Each cluster is
 * named by a {@link BridgeHarness} (a unique name, and its topic and live-object helpers); the first one's
 * name also names the checkpoint topic.
 */
public final class SeveralClusters {
    private SeveralClusters() {
    }

    /** One entry of clusters: the harness's cluster name with the given kubernetes block and resources. */
    public static String entry(BridgeHarness harness, String kubernetesHocon, String resources) {
        return "{ cluster = " + harness.cluster() + "\n kubernetes { " + kubernetesHocon + " }\n resources = " + resources + " }";
    }

    /** An entry that reaches the harness's server by kubernetes.url. */
    public static String entry(BridgeHarness harness, String url, String resources, String moreKubernetesHocon) {
        return entry(harness, "url = \"" + url + "\"\n" + moreKubernetesHocon, resources);
    }

    public static BridgeSettings settings(EmbeddedKafkaBroker broker, BridgeHarness first, String... entries) throws Exception {
        return settingsWith(broker, first, "", entries);
    }

    /** @param extraHocon more settings inside kube2kafka { }, e.g. kafka.producer { ... } */
    public static BridgeSettings settingsWith(EmbeddedKafkaBroker broker, BridgeHarness first, String extraHocon, String... entries)
            throws Exception {
        String hocon = "kube2kafka {\n http.port = -1\n" + extraHocon + "\n"
                + " kafka.bootstrap-servers = \"" + broker.bootstrapServers() + "\"\n"
                + " kafka.checkpoint-topic = " + first.cluster() + ".checkpoints\n"
                + " watch { timeout = 5s, backoff-initial = 50ms, backoff-max = 1s, authorization-backoff = 200ms }\n"
                + " clusters = [\n" + String.join("\n", entries) + "\n ]\n}";
        return new SettingsLoader(Map.of()).from(ConfigFactory.parseString(hocon), new ArrayList<>());
    }

    /** Waits until every watch of the named cluster is open. */
    public static void awaitWatching(Bridge bridge, String cluster) {
        Await.until(() -> {
            List<WatchStatus> watches = bridge.watchStatuses().stream().filter(s -> s.target().cluster().equals(cluster)).toList();
            return !watches.isEmpty() && watches.stream().allMatch(s -> s.state() == WatchStatus.State.WATCHING);
        }, Duration.ofSeconds(60), "every watch of cluster " + cluster + " is open: "
                + bridge.watchStatuses().stream().map(s -> s.target() + "=" + s.state()).toList() + ", waiting: " + bridge.waitingClusters());
    }
}
