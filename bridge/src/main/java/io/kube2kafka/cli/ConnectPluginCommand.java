package io.kube2kafka.cli;

import picocli.CommandLine.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Prints the directory to put on a Kafka Connect worker's plugin.path. Connect wants the parent of
 * the plugin's own directory (connect-plugin/ holds kube2kafka/): each directory under a plugin.path
 * entry gets one class loader, so the connector's jars must sit together in one of them.
 */
@Command(name = "connect-plugin", description = "Build the Kafka Connect plugin if needed and print the directory to put on a worker's plugin.path.")
final class ConnectPluginCommand implements Callable<Integer> {

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("kube2kafka.home", "."));
        Path pluginPath = home.resolve("connect/target/connect-plugin").toAbsolutePath().normalize();
        if (!isBuilt(pluginPath)) {
            System.err.println("kube2kafka: building the Connect plugin...");
            // The launcher rebuilds on changed sources; this covers a target/ cleaned since (mvn clean).
            Process build = new ProcessBuilder("mvn", "-B", "-q", "-DskipTests", "-pl", "connect", "-am", "package")
                    .directory(home.toFile()).redirectErrorStream(true).start();
            // Maven's output goes to stderr: stdout carries only the path, for scripts.
            build.getInputStream().transferTo(System.err);
            if (build.waitFor() != 0 || !isBuilt(pluginPath)) {
                System.err.println("kube2kafka: building the Connect plugin failed (mvn -pl connect -am package in " + home + ")");
                return Main.FATAL_ERROR;
            }
        }
        // stdout stays the plugin.path directory alone (scripts read it); the archive is named on stderr.
        try (var archives = Files.list(home.resolve("connector/target"))) {
            archives.filter(p -> p.getFileName().toString().matches("kube2kafka-kubernetes-source-.+\\.zip")).findFirst()
                    .ifPresent(archive -> System.err.println("kube2kafka: Confluent Hub archive (confluent-hub install, Strimzi build.plugins): "
                            + archive.toAbsolutePath().normalize()));
        }
        System.out.println(pluginPath);
        return 0;
    }

    private static boolean isBuilt(Path pluginPath) throws IOException {
        Path plugin = pluginPath.resolve("kube2kafka");
        if (!Files.isDirectory(plugin)) {
            return false;
        }
        try (var jars = Files.list(plugin)) {
            return jars.anyMatch(p -> p.getFileName().toString().startsWith("kube2kafka-") && p.toString().endsWith(".jar"));
        }
    }
}
