package io.kube2kafka.publish;

import io.kube2kafka.watch.WatchBatch;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.util.Collection;
import java.util.List;

/**
 * How one round of watch batches reaches Kafka together with the checkpoints of its watches, as
 * kafka.delivery chooses: {@link TransactionalDelivery} (exactly-once) or {@link AcknowledgedDelivery}
 * (at-least-once). The publisher's round loop owns the producer, the retries and the bookkeeping.
 */
interface RoundDelivery {

    /** Readies a new producer before its first round; throws what Kafka throws. */
    void prepare(KafkaProducer<byte[], byte[]> producer);

    /**
     * Sends the round's records and the checkpoints of {@code resumePoints}, returning once Kafka has
     * them; a throw leaves nothing of the round checkpointed, and the loop retries it.
     *
     * @return one entry per event sent, whose acknowledgement says where the event's state now is
     */
    List<RoundSender.Sent> deliver(KafkaProducer<byte[], byte[]> producer, List<WatchBatch> round,
                                   Collection<WatchBatch> resumePoints);

    /**
     * Clears what a failed {@link #deliver} left open, so the same round can be sent again.
     *
     * @return false when the shutdown deadline passed first
     */
    boolean recover(KafkaProducer<byte[], byte[]> producer);
}
