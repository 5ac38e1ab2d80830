package io.kube2kafka.watch;

import java.util.Locale;

/**
 * Why a watch listed (and compared with downstream) instead of resuming: a bounded label for the
 * relist counter, so an operator can tell a fleet of first starts from a watch that keeps falling
 * out of the server's window.
 */
public enum ListCause {
    /** No resume point yet: the watch's first list. */
    FIRST_START,
    /** 410 Gone: the resume point is older than the server's history. */
    EXPIRED,
    /** "Too large resource version" past watch.too-large-retry: a cluster restored from a backup or rebuilt. */
    TOO_LARGE_RESOURCE_VERSION,
    /** The cluster's name now points at another cluster (a different kube-system uid): its resume point means nothing there. */
    CLUSTER_CHANGED,
    /** A reconcile or resnapshot signal asked for it. */
    SIGNAL,
    /** The resource appeared in discovery while the bridge ran (a CRD installed). */
    DISCOVERED,
    /** Any other reason to list again, after the watch had been open (a failed first list retried keeps its cause). */
    OTHER;

    /**
     * The label value, also the {@code reason} of a notification: {@code first-start}, {@code expired},
     * {@code too-large-resource-version}, {@code cluster-changed}, {@code signal}, {@code discovered}, {@code other}.
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
