package io.kube2kafka.connect;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** On a secured cluster the task reads its topics with the credentials the connector gives its producer. */
class TopicReaderConfigTest {

    @Test
    void takesTheProducersSecuritySettingsAndNothingElse() {
        Map<String, String> connector = Map.of(
                "kafka.bootstrap-servers", "127.0.0.1:9093",
                "producer.override.security.protocol", "SASL_SSL",
                "producer.override.sasl.mechanism", "SCRAM-SHA-512",
                "producer.override.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"k\" password=\"p\";",
                "producer.override.ssl.truststore.location", "/etc/kafka/truststore.p12",
                "producer.override.max.request.size", "2097152",
                "producer.override.compression.type", "zstd",
                "kubernetes.url", "https://127.0.0.1:6443");

        Map<String, Object> reader = TopicReaderConfig.from("127.0.0.1:9093", connector);

        assertEquals(Map.of(
                "bootstrap.servers", "127.0.0.1:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"k\" password=\"p\";",
                "ssl.truststore.location", "/etc/kafka/truststore.p12"), reader);
    }
}
