package io.kube2kafka.config;

/**
 * One configuration key: its dotted name (under {@code kube2kafka}), type and documentation. The
 * default lives in reference.conf, the validator in {@link ConfigKeys}.
 */
public record ConfigKey(String name, Type type, String doc) {

    /** The HOCON value types the keys use. */
    public enum Type { STRING, BOOLEAN, INT, DURATION, BYTES, LIST, MAP }

    /** The environment variable that overrides this key: KUBE2KAFKA_KAFKA_BOOTSTRAP_SERVERS. */
    public String environmentVariable() {
        return "KUBE2KAFKA_" + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
