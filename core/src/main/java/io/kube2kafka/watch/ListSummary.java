package io.kube2kafka.watch;

import java.time.Instant;
import java.util.Objects;

/**
 * What one completed list found, compared with what downstream held: the facts of a notification.
 * It travels on the list's last batch, so it becomes durable together with the list's resume point
 * and never describes a list that did not complete.
 *
 * @param fromResourceVersion the resume point the watch gave up (null on a first start): changes between
 *     it and {@code toResourceVersion} were not seen one by one, only their outcome
 * @param unchanged objects downstream already held at the listed resourceVersion
 * @param changed objects downstream held at another resourceVersion
 * @param added objects downstream did not hold
 * @param deleted objects downstream held that the list lacked: each became a derived DELETED
 */
public record ListSummary(ListCause cause, ListMethod method, String fromResourceVersion, String toResourceVersion,
                          long unchanged, long changed, long added, long deleted, Instant startedAt, Instant completedAt) {

    public ListSummary {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(toResourceVersion, "toResourceVersion");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(completedAt, "completedAt");
    }

    /** Objects the list returned. */
    public long listed() {
        return unchanged + changed + added;
    }
}
