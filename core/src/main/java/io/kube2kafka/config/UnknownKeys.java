package io.kube2kafka.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reports every key under kube2kafka that no ConfigKey defines: a misspelt key would otherwise be
 * ignored silently and its default used. The free-form maps (kafka.producer, topic configs) take any key.
 */
final class UnknownKeys {
    private UnknownKeys() {
    }

    static void report(Config user, List<String> problems) {
        if (!user.hasPath(SettingsLoader.ROOT)) {
            return;
        }
        Set<String> known = new HashSet<>();
        ConfigKeys.ALL.forEach(k -> known.add(k.name()));
        for (Map.Entry<String, ConfigValue> entry : user.getConfig(SettingsLoader.ROOT).entrySet()) {
            String path = String.join(".", ConfigUtil.splitPath(entry.getKey()));
            boolean ok = known.contains(path) || ConfigKeys.MAP_KEYS.stream().anyMatch(m -> path.startsWith(m + "."));
            if (!ok) {
                problems.add(SettingsLoader.ROOT + "." + path + ": unknown key" + DidYouMean.suggestion(path, known));
            }
        }
    }
}
