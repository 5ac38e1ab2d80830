package io.kube2kafka.cli;

import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM and SIGINT request a clean stop instead of killing the JVM, so in-flight events are
 * committed and the exit status is 0 (a JVM shutdown hook would exit 143). While the command is
 * still starting up (waiting for a broker, say), the signal also interrupts the starting thread, so
 * a stop request is never ignored until start-up succeeds.
 */
public final class StopSignal {
    private final CountDownLatch requested = new CountDownLatch(1);
    private final Thread startingThread;
    private volatile boolean starting = true;

    private StopSignal(Thread startingThread) {
        this.startingThread = startingThread;
    }

    /** Installs the handlers for the calling thread. */
    public static StopSignal install() {
        StopSignal stop = new StopSignal(Thread.currentThread());
        Signal.handle(new Signal("TERM"), stop::onSignal);
        Signal.handle(new Signal("INT"), stop::onSignal);
        return stop;
    }

    private void onSignal(Signal signal) {
        requested.countDown();
        if (starting) {
            startingThread.interrupt();
        }
    }

    /** Start-up is over: from now on a signal only records the request. */
    void started() {
        starting = false;
        Thread.interrupted();
    }

    public boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** @return true when a stop was requested within the timeout */
    boolean await(long millis) throws InterruptedException {
        return requested.await(millis, TimeUnit.MILLISECONDS);
    }
}
