package io.kube2kafka.publish;

import io.kube2kafka.watch.WatchBatch;
import io.kube2kafka.watch.WatchEvent;
import io.kube2kafka.watch.WatchTarget;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Turns a round into producer sends: the records of its events, the notification of each list it
 * completes, and the checkpoint records of its watches.
 */
final class RoundSender {
    private final RecordFactory records;
    private final String checkpointTopic;
    private final String notificationTopic;

    RoundSender(RecordFactory records, String checkpointTopic, String notificationTopic) {
        this.records = records;
        this.checkpointTopic = checkpointTopic;
        this.notificationTopic = notificationTopic;
    }

    /** An event sent for a watch, and the acknowledgement of the record that holds its state. */
    record Sent(WatchTarget target, WatchEvent event, Future<RecordMetadata> metadata) {
    }

    /** Sends the records of every event in the round, in order. */
    List<Sent> sendRecords(KafkaProducer<byte[], byte[]> p, List<WatchBatch> round) {
        int events = 0;
        for (WatchBatch batch : round) {
            events += batch.events().size();
        }
        // Sized once: a firehose round holds thousands of events, and growing the list copied it a dozen times.
        List<Sent> sent = new ArrayList<>(events);
        for (WatchBatch batch : round) {
            for (WatchEvent event : batch.events()) {
                Future<RecordMetadata> first = null;
                Future<RecordMetadata> last = null;
                for (ProducerRecord<byte[], byte[]> record : records.records(batch.target(), event)) {
                    Future<RecordMetadata> f = p.send(record);
                    if (first == null) {
                        first = f;
                    }
                    last = f;
                }
                sent.add(new Sent(batch.target(), event, first));
                if (event.handover() != null) {
                    // The handover's state is the event's last record, written in the other watch's name: that watch's index holds it now.
                    sent.add(new Sent(event.handover().watch(), event.handover().event(), last));
                }
            }
        }
        return sent;
    }

    /**
     * Sends the notification of each list the round completes. Sent with the round's records and
     * before its checkpoints, so a notification becomes visible together with what it describes, and a
     * list that did not complete has none.
     */
    List<Future<RecordMetadata>> sendNotifications(KafkaProducer<byte[], byte[]> p, List<WatchBatch> round) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (WatchBatch batch : round) {
            if (batch.listSummary() != null) {
                sent.add(p.send(new ProducerRecord<>(notificationTopic, Notifications.key(batch.target()),
                        Notifications.snapshot(batch.target(), batch.listSummary()))));
            }
        }
        return sent;
    }

    /** The checkpoint records of the round's newest resume points. */
    List<ProducerRecord<byte[], byte[]>> checkpoints(Iterable<WatchBatch> resumePoints) {
        List<ProducerRecord<byte[], byte[]>> checkpoints = new ArrayList<>();
        for (WatchBatch batch : resumePoints) {
            checkpoints.add(Checkpoints.record(checkpointTopic, batch.target(), batch.resumeResourceVersion()));
        }
        return checkpoints;
    }

    /** Waits for Kafka's acknowledgement of a send; a refusal is thrown as the KafkaException it is. */
    static RecordMetadata acknowledged(Future<RecordMetadata> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting for an acknowledgement", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
        }
    }
}
