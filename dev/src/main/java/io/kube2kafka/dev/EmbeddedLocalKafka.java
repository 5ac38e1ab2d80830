package io.kube2kafka.dev;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.cli.LocalKafka;
import io.kube2kafka.config.KafkaSettings;

import java.util.Map;

/** The embedded single-node broker behind `run` without kafka.bootstrap-servers, in a source checkout. */
public final class EmbeddedLocalKafka implements LocalKafka {

    @Override
    public Running start(KafkaSettings kafka) throws Exception {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(kafka.embeddedDataDir(), kafka.embeddedPort(), Map.of()).start();
        return new Running() {
            @Override
            public String bootstrapServers() {
                return broker.bootstrapServers();
            }

            @Override
            public String dataDir() {
                return broker.dataDir().toString();
            }

            @Override
            public void close() {
                broker.close();
            }
        };
    }
}
