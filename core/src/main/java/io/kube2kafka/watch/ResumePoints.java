package io.kube2kafka.watch;

/** The committed resourceVersion of each watch, read once when the watchers start. */
public interface ResumePoints {

    /** Null when the watch has never committed: it starts with a list. */
    String resourceVersionOf(WatchTarget target);
}
