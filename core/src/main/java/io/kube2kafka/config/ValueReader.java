package io.kube2kafka.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Typed reads that record a problem instead of throwing, so every mistake is reported at once. */
final class ValueReader {
    private final Config config;
    private final List<String> problems;
    private final String prefix;

    ValueReader(Config config, List<String> problems) {
        this(config, problems, "");
    }

    /** @param prefix put before each key in problems: "clusters[1]." */
    ValueReader(Config config, List<String> problems, String prefix) {
        this.config = config;
        this.problems = problems;
        this.prefix = prefix;
    }

    String string(String key) {
        try {
            return config.getString(key);
        } catch (ConfigException e) {
            problems.add(prefix + key + ": " + describe(e, "a string"));
            return null;
        }
    }

    boolean bool(String key) {
        try {
            return config.getBoolean(key);
        } catch (ConfigException e) {
            problems.add(prefix + key + "=" + raw(key) + ": must be true or false");
            return false;
        }
    }

    int integer(String key) {
        try {
            return config.getInt(key);
        } catch (ConfigException e) {
            problems.add(prefix + key + "=" + raw(key) + ": must be a whole number");
            return 0;
        }
    }

    int intAtLeast(String key, int minimum) {
        int value = integer(key);
        if (value < minimum && config.hasPath(key) && isNumber(key)) {
            problems.add(prefix + key + "=" + value + ": must be at least " + minimum);
        }
        return value;
    }

    Duration positiveDuration(String key) {
        try {
            Duration value = config.getDuration(key);
            if (value.isZero() || value.isNegative()) {
                problems.add(prefix + key + "=" + raw(key) + ": must be a positive duration like 30s or 5m");
            }
            return value;
        } catch (ConfigException e) {
            problems.add(prefix + key + "=" + raw(key) + ": must be a duration like 30s or 5m");
            return null;
        }
    }

    long bytes(String key) {
        try {
            return config.getBytes(key);
        } catch (ConfigException e) {
            problems.add(prefix + key + "=" + raw(key) + ": must be a size like 16MiB");
            return 0;
        }
    }

    Map<String, String> map(String key) {
        Map<String, String> values = new TreeMap<>();
        try {
            for (Map.Entry<String, ConfigValue> entry : config.getConfig(key).entrySet()) {
                values.put(String.join(".", ConfigUtil.splitPath(entry.getKey())), String.valueOf(entry.getValue().unwrapped()));
            }
        } catch (ConfigException e) {
            problems.add(prefix + key + ": must be an object of settings, e.g. { \"compression.type\" = \"lz4\" }");
        }
        return new LinkedHashMap<>(values);
    }

    private boolean isNumber(String key) {
        return config.getValue(key).valueType() == ConfigValueType.NUMBER;
    }

    private String raw(String key) {
        return config.hasPath(key) ? config.getValue(key).render() : "(missing)";
    }

    private static String describe(ConfigException e, String expected) {
        return e instanceof ConfigException.Missing ? "missing" : "must be " + expected;
    }
}
