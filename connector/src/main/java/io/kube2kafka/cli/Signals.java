package io.kube2kafka.cli;

import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;

/**
 * SIGTERM and SIGINT request a clean stop instead of killing the JVM, so in-flight events are
 * committed and the exit status is 0 (a JVM shutdown hook would exit 143).
 */
final class Signals {
    private Signals() {
    }

    static CountDownLatch stopRequested() {
        CountDownLatch latch = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> latch.countDown());
        Signal.handle(new Signal("INT"), signal -> latch.countDown());
        return latch;
    }
}
