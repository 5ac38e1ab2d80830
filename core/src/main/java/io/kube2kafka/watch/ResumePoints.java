package io.kube2kafka.watch;

/** The committed resourceVersion of each watch, read once when the watchers start. */
public interface ResumePoints {

    /** Without a resourceVersion when the watch has never committed, or committed for another cluster: it starts with a list. */
    ResumePoint resumePointOf(WatchTarget target);
}
