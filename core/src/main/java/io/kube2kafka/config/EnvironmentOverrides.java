package io.kube2kafka.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * KUBE2KAFKA_KAFKA_BOOTSTRAP_SERVERS=... overrides kube2kafka.kafka.bootstrap-servers, and so on for every key:
 * turns the environment variables named after the keys into a configuration layer.
 */
final class EnvironmentOverrides {
    private final Map<String, String> environment;

    EnvironmentOverrides(Map<String, String> environment) {
        this.environment = environment;
    }

    /** A value that does not parse is a problem naming the variable, not an exception: every mistake is reported at once. */
    Config toConfig(List<String> problems) {
        Config overrides = ConfigFactory.empty();
        for (ConfigKey key : ConfigKeys.ALL) {
            String value = environment.get(key.environmentVariable());
            if (value == null) {
                continue;
            }
            String path = SettingsLoader.ROOT + "." + key.name();
            try {
                Object parsed = switch (key.type()) {
                    case STRING -> value;
                    case LIST -> value.trim().startsWith("[")
                            ? ConfigFactory.parseString("v = " + value).getValue("v").unwrapped()
                            : key.name().equals(ConfigKeys.RESOURCES_CONFIG)
                            ? Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(r -> Map.of("resource", r)).toList()
                            : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                    default -> ConfigFactory.parseString("v = " + value).getValue("v").unwrapped();
                };
                overrides = overrides.withValue(path, ConfigValueFactory.fromAnyRef(parsed, "environment variable " + key.environmentVariable()));
            } catch (ConfigException e) {
                problems.add(key.environmentVariable() + "=\"" + value + "\": not a valid value for " + key.name() + " (" + e.getMessage() + ")");
            }
        }
        return overrides;
    }
}
