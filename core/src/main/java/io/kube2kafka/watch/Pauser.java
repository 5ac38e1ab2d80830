package io.kube2kafka.watch;

import java.time.Duration;

/** Waits between retries; injected so tests can see the pauses a watcher asks for without waiting them out. */
@FunctionalInterface
public interface Pauser {
    Pauser REAL = duration -> Thread.sleep(duration.toMillis());

    void pause(Duration duration) throws InterruptedException;
}
