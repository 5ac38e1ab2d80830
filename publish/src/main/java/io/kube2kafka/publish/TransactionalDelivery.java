package io.kube2kafka.publish;

import io.kube2kafka.publish.TransactionalPublisher.FatalPublishException;
import io.kube2kafka.watch.Backoff;
import io.kube2kafka.watch.WatchBatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * exactly-once: each round in one transaction together with the checkpoint of every watch it covers,
 * so either the records and the new resume points are visible to read_committed consumers, or neither
 * is. A failed round's transaction is aborted and the same round is sent again.
 */
final class TransactionalDelivery implements RoundDelivery {
    // Logs in the publisher's name: operators know these lines by it.
    private static final Logger log = LoggerFactory.getLogger(TransactionalPublisher.class);

    private final RoundSender sender;
    private final FatalKafkaErrors fatalErrors;
    private final ShutdownDeadline deadline;
    private final PublisherStats stats;

    TransactionalDelivery(RoundSender sender, FatalKafkaErrors fatalErrors, ShutdownDeadline deadline, PublisherStats stats) {
        this.sender = sender;
        this.fatalErrors = fatalErrors;
        this.deadline = deadline;
        this.stats = stats;
    }

    /** Fences any earlier producer with this transactional.id and aborts its open transaction. */
    @Override
    public void prepare(KafkaProducer<byte[], byte[]> producer) {
        producer.initTransactions();
    }

    @Override
    public List<RoundSender.Sent> deliver(KafkaProducer<byte[], byte[]> p, List<WatchBatch> round,
                                          Collection<WatchBatch> resumePoints) {
        p.beginTransaction();
        List<RoundSender.Sent> sent = sender.sendRecords(p, round);
        sender.sendNotifications(p, round);
        for (ProducerRecord<byte[], byte[]> checkpoint : sender.checkpoints(resumePoints)) {
            p.send(checkpoint);
        }
        commit(p);
        return sent;
    }

    /**
     * A commit that timed out (broker unreachable) must be retried as a commit: the producer refuses
     * anything else until it learns the outcome, and the records may well be committed already.
     */
    private void commit(KafkaProducer<byte[], byte[]> p) {
        Backoff backoff = ShutdownDeadline.retryBackoff(Duration.ofMillis(200));
        while (true) {
            try {
                p.commitTransaction();
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                stats.failed(e);
                if (deadline.passed()) {
                    throw e;
                }
                Duration pause = backoff.nextDelay();
                log.warn("committing the transaction timed out ({}); Kafka seems unreachable, retrying the commit in {} ms",
                        e.getMessage(), pause.toMillis());
                deadline.sleepBeforeRetry(pause);
            }
        }
    }

    /**
     * Aborts the failed transaction, retrying while the broker is unreachable. The producer is never
     * recreated here: a new initTransactions would fence a newer bridge that took over meanwhile,
     * and this one would then publish from a stale position.
     *
     * @return false when the shutdown deadline passed first
     */
    @Override
    public boolean recover(KafkaProducer<byte[], byte[]> producer) {
        Backoff backoff = ShutdownDeadline.retryBackoff(Duration.ofMillis(200));
        while (true) {
            try {
                producer.abortTransaction();
                return true;
            } catch (IllegalStateException noTransaction) {
                // The failure happened before beginTransaction took effect: nothing to abort.
                return true;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (deadline.passed()) {
                    return false;
                }
                Duration pause = backoff.nextDelay();
                log.warn("cannot abort the failed transaction yet ({}); Kafka seems unreachable, retrying in {} ms", e.getMessage(), pause.toMillis());
                deadline.sleepBeforeRetry(pause);
            } catch (KafkaException e) {
                fatalErrors.throwIfFatal(e);
                if (deadline.passed()) {
                    // close() closed the producer to end a call that outlived the deadline.
                    return false;
                }
                throw new FatalPublishException("the Kafka producer cannot recover (" + e.getMessage()
                        + "); stopping, a restart resumes from the last checkpoint", e);
            }
        }
    }
}
