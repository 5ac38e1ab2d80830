package io.kube2kafka.publish;

import io.kube2kafka.config.ConfigKeys;
import io.kube2kafka.config.DidYouMean;
import io.kube2kafka.config.ProducerSettingsRule;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.util.List;
import java.util.Map;

/**
 * Checks kafka.producer against the Kafka producer's own definitions of its settings (ProducerConfig's
 * ConfigDef: type, allowed values) at start-up. Passed on unchecked, a bad value surfaced only when the
 * publisher built its producer, and was then retried forever as if Kafka were unreachable.
 */
public final class ProducerSettingsCheck implements ProducerSettingsRule {
    /** Settings kube2kafka makes itself, so a value given here would be silently overridden. */
    private static final Map<String, String> MANAGED = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "set " + ConfigKeys.BOOTSTRAP_CONFIG + " instead",
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "set " + ConfigKeys.TRANSACTIONAL_ID_CONFIG + " instead",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "kube2kafka writes keys as bytes and sets it itself",
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "kube2kafka writes values as bytes and sets it itself");

    public ProducerSettingsCheck() {
    }

    /** Adds one problem per bad setting, each naming it as kafka.producer."name". */
    @Override
    public void check(Map<String, String> producer, List<String> problems) {
        Map<String, ConfigDef.ConfigKey> known = ProducerConfig.configDef().configKeys();
        producer.forEach((name, value) -> {
            String at = ConfigKeys.PRODUCER_CONFIG + ".\"" + name + "\"";
            if (MANAGED.containsKey(name)) {
                problems.add(at + ": " + MANAGED.get(name));
                return;
            }
            ConfigDef.ConfigKey key = known.get(name);
            if (key == null) {
                // Plugins (interceptors, metric reporters, SASL callbacks) read settings of their own, so an
                // unknown name is allowed; one a typo away from a producer setting is surely that typo.
                String near = nearest(name, known.keySet());
                if (near != null) {
                    problems.add(at + ": not a Kafka producer setting (did you mean \"" + near + "\"?)");
                }
                return;
            }
            try {
                Object parsed = ConfigDef.parseType(name, value, key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(name, parsed);
                }
            } catch (ConfigException e) {
                problems.add(at + "=\"" + value + "\": " + reason(e, name, value));
            }
        });
    }

    /** Kafka's message without its own "Invalid value V for configuration N: " prefix, which the problem already says. */
    private static String reason(ConfigException e, String name, String value) {
        String message = e.getMessage() == null ? "invalid" : e.getMessage();
        String prefix = "Invalid value " + value + " for configuration " + name;
        if (message.startsWith(prefix)) {
            message = message.substring(prefix.length()).replaceFirst("^:\\s*", "");
        }
        return message.isEmpty() ? "invalid" : message;
    }

    private static String nearest(String name, Iterable<String> candidates) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : candidates) {
            int distance = DidYouMean.editDistance(name, candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best;
    }
}
