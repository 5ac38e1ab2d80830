package io.kube2kafka.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Stacks the user's layers: environment over {@code --config FILE} over the default file in {@code config/}.
 * The jar's reference.conf is not among them; validation falls back to it, and must still tell which keys the user wrote.
 */
final class ConfigLayers {
    private final EnvironmentOverrides environmentOverrides;

    ConfigLayers(Map<String, String> environment) {
        this.environmentOverrides = new EnvironmentOverrides(environment);
    }

    /**
     * @param file the user's --config file, or null
     * @param defaultsFile config/kube2kafka.conf of the installation, or null (ignored when it does not exist)
     * @throws ConfigurationException at once when the --config file does not exist: nothing else is worth reading then
     */
    Config stack(Path file, Path defaultsFile, List<String> problems) throws ConfigurationException {
        Config user = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigurationException(List.of("--config " + file + ": no such file"));
            }
            user = parse(file, problems);
        }
        user = environmentOverrides.toConfig(problems).withFallback(user);
        if (defaultsFile != null && Files.isRegularFile(defaultsFile)) {
            user = user.withFallback(withoutOtherShape(parse(defaultsFile, problems), user));
        }
        return user;
    }

    /**
     * The installation's defaults file names one cluster (cluster, resources); a user who writes a
     * clusters list in --config or the environment replaces that cluster rather than contradicting it,
     * and one who writes the single-cluster keys replaces a clusters list there.
     */
    private static Config withoutOtherShape(Config defaults, Config user) {
        String root = SettingsLoader.ROOT;
        if (user.hasPath(root + "." + ConfigKeys.CLUSTERS_CONFIG)) {
            for (String key : ClusterEntries.SINGLE_CLUSTER_KEYS) {
                defaults = defaults.withoutPath(root + "." + key);
            }
            return defaults.withoutPath(root + ".kubernetes");
        }
        if (ClusterEntries.SINGLE_CLUSTER_KEYS.stream().anyMatch(key -> user.hasPath(root + "." + key))) {
            return defaults.withoutPath(root + "." + ConfigKeys.CLUSTERS_CONFIG);
        }
        return defaults;
    }

    private static Config parse(Path file, List<String> problems) {
        try {
            return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            problems.add(file + ": " + e.getMessage());
            return ConfigFactory.empty();
        }
    }
}
