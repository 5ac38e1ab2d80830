package io.kube2kafka.publish;

import io.kube2kafka.watch.WatchBatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Future;

/**
 * at-least-once: a checkpoint is written only after Kafka acknowledged the records it covers. A round
 * that fails after some of its records were acknowledged is sent again whole, so those appear twice.
 */
final class AcknowledgedDelivery implements RoundDelivery {
    private final RoundSender sender;

    AcknowledgedDelivery(RoundSender sender) {
        this.sender = sender;
    }

    @Override
    public void prepare(KafkaProducer<byte[], byte[]> producer) {
        // No transactions, so nothing to fence or abort.
    }

    @Override
    public List<RoundSender.Sent> deliver(KafkaProducer<byte[], byte[]> p, List<WatchBatch> round,
                                          Collection<WatchBatch> resumePoints) {
        List<RoundSender.Sent> sent = sender.sendRecords(p, round);
        List<Future<RecordMetadata>> notifications = sender.sendNotifications(p, round);
        p.flush();
        for (RoundSender.Sent s : sent) {
            RoundSender.acknowledged(s.metadata());
        }
        for (Future<RecordMetadata> f : notifications) {
            RoundSender.acknowledged(f);
        }
        List<Future<RecordMetadata>> checkpoints = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> checkpoint : sender.checkpoints(resumePoints)) {
            checkpoints.add(p.send(checkpoint));
        }
        p.flush();
        for (Future<RecordMetadata> f : checkpoints) {
            RoundSender.acknowledged(f);
        }
        return sent;
    }

    @Override
    public boolean recover(KafkaProducer<byte[], byte[]> producer) {
        // Nothing is left open: the round is simply sent again.
        return true;
    }
}
