package io.kube2kafka.cli;

import io.kube2kafka.cli.check.CheckLine;
import io.kube2kafka.cli.check.KafkaChecks;
import io.kube2kafka.cli.check.KubernetesChecks;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.ClusterSettings;
import io.kube2kafka.config.ConfigKeys;
import io.kube2kafka.config.ConfigurationException;
import io.kube2kafka.watch.WatchTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The preflight a user runs before {@code run}: every item the bridge needs, one line each, OK or
 * the exact problem and its fix. Nothing is changed. The items are checked by {@link KubernetesChecks}
 * (per cluster) and {@link KafkaChecks}; this command prints their lines and sets the exit status.
 *
 * <p>Exit status: 0 when every item passes, 2 when the configuration itself is wrong (a bad key, an
 * unusable kubeconfig, a resource the server does not serve), 1 for any other failure.
 */
@Command(name = "check", description = "Preflight: discovery, list/watch permission, Kafka reachable, topics, transactions; one line per item.")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private int failures;
    private boolean configurationProblem;

    @Override
    public Integer call() throws ConfigurationException {
        out = spec.commandLine().getOut();
        BridgeSettings settings = config.load();
        List<WatchTarget> targets = new ArrayList<>();
        for (int i = 0; i < settings.clusters().size(); i++) {
            ClusterSettings cluster = settings.clusters().get(i);
            // With several clusters every line says which one it is about, and every fix names the entry.
            String itemPrefix = settings.severalClusters() ? "cluster " + cluster.cluster() + ": " : "";
            String keyPrefix = settings.severalClusters() ? ConfigKeys.CLUSTERS_CONFIG + "[" + i + "]." : "";
            KubernetesChecks kubernetes = new KubernetesChecks(settings.watch(), line -> print(line.withItemPrefix(itemPrefix)));
            targets.addAll(kubernetes.check(cluster, keyPrefix));
        }
        new KafkaChecks(this::print).check(settings.kafka(), targets);
        out.println(failures == 0 ? "all checks passed" : failures + " check(s) failed");
        out.flush();
        return failures == 0 ? 0 : configurationProblem ? Main.CONFIGURATION_ERROR : Main.FATAL_ERROR;
    }

    /** Prints the line at once (a slow item shows which one is being waited for) and counts a failure. */
    private void print(CheckLine line) {
        if (line.passed()) {
            out.printf("OK    %-50s %s%n", line.item(), line.detail());
        } else {
            failures++;
            configurationProblem |= line.configurationProblem();
            out.printf("FAIL  %-50s %s%n      %-50s fix: %s%n", line.item(), line.detail(), "", line.fix());
        }
        out.flush();
    }
}
