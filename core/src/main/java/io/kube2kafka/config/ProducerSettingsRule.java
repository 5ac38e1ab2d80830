package io.kube2kafka.config;

import java.util.List;
import java.util.Map;

/**
 * Judges the kafka.producer settings while the configuration loads, so a bad value exits 2 with
 * every other problem. The rule needs Kafka's own producer definitions, which the configuration
 * (part of the Kafka-free core) cannot see: the runtime that has them passes one in.
 */
@FunctionalInterface
public interface ProducerSettingsRule {
    /** Accepts every setting: for runtimes that do not build a producer from kafka.producer (Connect). */
    ProducerSettingsRule NONE = (producer, problems) -> { };

    /** Adds one problem per bad setting, each naming kafka.producer."key". */
    void check(Map<String, String> producer, List<String> problems);
}
