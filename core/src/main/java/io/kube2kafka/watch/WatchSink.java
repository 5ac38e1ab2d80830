package io.kube2kafka.watch;

/**
 * Where watchers hand their batches: the Kafka publisher in the standalone bridge, the source task in
 * Kafka Connect. Implementations keep batches of one target in the order they were accepted.
 */
public interface WatchSink {

    /**
     * Hands a batch on; blocks while downstream is full, which slows the watch to Kafka's pace.
     *
     * @throws SinkStoppedException when downstream has stopped for good; the watch then ends
     */
    void accept(WatchBatch batch) throws InterruptedException;

    /**
     * What downstream holds for this target, after every batch it accepted for the target is durable:
     * a list is compared with this to publish only the difference.
     */
    KnownObjects knownObjects(WatchTarget target) throws InterruptedException;
}
