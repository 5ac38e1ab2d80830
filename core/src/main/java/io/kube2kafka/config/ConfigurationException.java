package io.kube2kafka.config;

import java.util.List;

/** Every problem found in the configuration, each naming the key, the value and what is wrong. Exit status 2. */
public final class ConfigurationException extends Exception {
    private final List<String> problems;

    public ConfigurationException(List<String> problems) {
        super("invalid configuration:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
