package io.kube2kafka.publish;

import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.OutputSettings;
import io.kube2kafka.transform.ObjectTransform;

import java.util.function.ToIntFunction;

/**
 * Turns settings into the record pipeline (topic names, the object transform of every
 * {@code output.*} key, the record factory), for every runtime that writes records: the standalone
 * bridge, the Kafka Connect task and the benchmark. They once wired it each on their own, and the
 * Connect task's copy silently lost {@code output.drop-paths}; with one wiring a new output key
 * reaches all of them or none.
 */
public final class RecordPipeline {
    private RecordPipeline() {
    }

    /**
     * @param maxRequestSize the max.request.size of the producer that writes the records: a larger
     *     event follows {@code output.oversized}
     */
    public static RecordFactory recordFactory(BridgeSettings settings, int maxRequestSize) {
        return recordFactory(settings, maxRequestSize, topic -> Integer.MAX_VALUE);
    }

    /**
     * @param topicMaxMessageBytes each object topic's max.message.bytes (TopicLimits), which the broker
     *     enforces below the producer's limit: a larger event follows {@code output.oversized} too
     */
    public static RecordFactory recordFactory(BridgeSettings settings, int maxRequestSize, ToIntFunction<String> topicMaxMessageBytes) {
        OutputSettings output = settings.output();
        ObjectTransform transform = new ObjectTransform(output.redactSecrets(), output.dropManagedFields(), output.dropPaths());
        return new RecordFactory(new TopicNames(settings.kafka().topicTemplate()), transform, output.tombstones(),
                maxRequestSize, output.failOnOversized(), topicMaxMessageBytes);
    }
}
