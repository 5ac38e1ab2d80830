package io.kube2kafka.cli;

import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.ConfigurationException;
import io.kube2kafka.config.SettingsLoader;
import io.kube2kafka.publish.ProducerSettingsCheck;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The --config FILE option every command shares, and the layered load behind it. */
public final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE", description = "HOCON file overriding config/kube2kafka.conf and the built-in defaults")
    Path file;

    public BridgeSettings load() throws ConfigurationException {
        String home = System.getProperty("kube2kafka.home");
        Path defaults = home == null ? null : Path.of(home, "config", "kube2kafka.conf");
        return new SettingsLoader(System.getenv(), new ProducerSettingsCheck()).load(file, defaults);
    }

    /** The bootstrap servers to talk to: the configured ones, else the embedded broker's port on this machine. */
    public static String bootstrapServers(BridgeSettings settings) {
        return settings.kafka().embedded() ? "127.0.0.1:" + settings.kafka().embeddedPort() : settings.kafka().bootstrapServers();
    }
}
