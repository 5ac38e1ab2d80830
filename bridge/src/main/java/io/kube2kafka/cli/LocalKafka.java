package io.kube2kafka.cli;

import io.kube2kafka.config.KafkaSettings;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A Kafka broker started inside this process, for `run` without kafka.bootstrap-servers. Only a
 * source checkout provides one (the dev module, through ServiceLoader): a single-node broker on the
 * local disk suits a laptop, not a pod, so the production runtime has none and `run` there needs a
 * real Kafka.
 */
public interface LocalKafka {

    /** Starts the broker where kafka.embedded.* says; the handle says where it listens and stops it. */
    Running start(KafkaSettings kafka) throws Exception;

    /** A started broker. */
    interface Running extends AutoCloseable {
        String bootstrapServers();

        /** Where it keeps its data, for the log line that says so. */
        String dataDir();
    }

    /** The broker this runtime provides, if any. */
    static Optional<LocalKafka> find() {
        return ServiceLoader.load(LocalKafka.class).findFirst();
    }
}
