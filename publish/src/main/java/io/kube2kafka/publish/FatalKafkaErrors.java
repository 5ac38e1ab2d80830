package io.kube2kafka.publish;

import io.kube2kafka.publish.TransactionalPublisher.FatalPublishException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Which Kafka errors stop the bridge, as KafkaProducer's class comment sorts them: fenced (another
 * bridge took over this transactional.id), out-of-order sequence, authorization and unsupported
 * version. No retry cures them; every other error is retried.
 */
final class FatalKafkaErrors {
    private final String transactionalId;

    FatalKafkaErrors(String transactionalId) {
        this.transactionalId = transactionalId;
    }

    /** True when {@code e} itself is one of the fatal errors (its causes are not looked at). */
    static boolean isFatal(Throwable e) {
        return e instanceof ProducerFencedException || e instanceof OutOfOrderSequenceException
                || e instanceof AuthorizationException || e instanceof UnsupportedVersionException;
    }

    /** Throws a {@link FatalPublishException} when {@code e} or one of its causes is fatal. */
    void throwIfFatal(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (isFatal(cause)) {
                throw fatal((KafkaException) cause);
            }
        }
    }

    /** The exception that stops the bridge, saying why in words an operator can act on. */
    FatalPublishException fatal(KafkaException e) {
        return new FatalPublishException(message(e), e);
    }

    private String message(KafkaException e) {
        if (e instanceof ProducerFencedException) {
            return "another kube2kafka with transactional.id " + transactionalId
                    + " has started and fenced this one; stopping so only one writes these watches (" + e.getMessage() + ")";
        }
        return "Kafka refused the producer: " + e.getMessage();
    }
}
