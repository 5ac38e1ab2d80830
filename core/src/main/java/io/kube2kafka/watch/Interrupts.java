package io.kube2kafka.watch;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;

/** Telling a request ended by a stop (the thread interrupted) from one the network failed. */
public final class Interrupts {
    private Interrupts() {
    }

    /**
     * Whether {@code e} ended a request because its thread was interrupted. A read timeout is an
     * InterruptedIOException too (SocketTimeoutException), and is a network failure, to be retried.
     */
    public static boolean endedByInterrupt(Exception e) {
        return Thread.currentThread().isInterrupted() || e instanceof ClosedByInterruptException
                || (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException));
    }
}
