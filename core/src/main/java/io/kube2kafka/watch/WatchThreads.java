package io.kube2kafka.watch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads watchers run on. A watcher retries every Exception itself; what still escapes (an
 * Error such as OutOfMemoryError or StackOverflowError) ends its thread, and the handler makes sure
 * that is never silent: logged with the watch and the stack trace, while the watch's status says
 * STOPPED, so readiness names it.
 */
public final class WatchThreads {
    private static final Logger log = LoggerFactory.getLogger(WatchThreads.class);

    private WatchThreads() {
    }

    /** An unstarted thread running {@code watcher}. */
    public static Thread create(Watcher watcher, String name) {
        Thread thread = new Thread(watcher, name);
        thread.setUncaughtExceptionHandler((t, e) -> log.error("{}: the watch thread \"{}\" ended on an unexpected error;"
                + " this watch no longer streams until the process restarts", watcher.target(), t.getName(), e));
        return thread;
    }
}
