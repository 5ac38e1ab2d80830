package io.kube2kafka.watch;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Picks the newest of an object's managedFields entries, offered in list order: the greatest
 * {@code time}; on a tie, the later entry. Entries without a (readable) time rank below every entry
 * with one.
 *
 * <p>Why the later entry on a tie: the API server stores times in whole seconds, so two writes in
 * one second tie, and nothing in the object says which came last. The field manager sorts the list
 * by operation ("Apply" before "Update"), then time, then manager name (sortEncodedManagedFields in
 * k8s.io/apimachinery/pkg/util/managedfields/internal/managedfields.go), so the later entry is the
 * Update over the Apply, then the greater manager name: a fixed choice, not knowledge.
 *
 * <p>An entry written through a subresource (the kubelet's {@code "subresource":"status"}) counts
 * like any other: a status write is a write, the MODIFIED event it causes carries that entry's newer
 * time, and skipping it would credit a status change to whoever last touched the spec.
 */
final class NewestManagedFieldsEntry {
    private String manager;
    private String operation;
    private String time;
    private boolean any;

    void offer(String manager, String operation, String time) {
        if (!any || compareTimes(time, this.time) >= 0) {
            this.manager = manager;
            this.operation = operation;
            this.time = time;
            any = true;
        }
    }

    /** @return null when no entry was offered, or the newest names nothing */
    Attribution newest() {
        if (manager == null && operation == null && time == null) {
            return null;
        }
        return new Attribution(manager, operation, time);
    }

    /**
     * metav1.Time marshals as {@code t.UTC().Format(time.RFC3339)} (k8s.io/apimachinery/pkg/apis/meta/v1/time.go):
     * always "2006-01-02T15:04:05Z", fixed width, so such strings order as their instants do and are
     * compared as strings. Anything else (fractions, offsets, written by something other than the
     * API server) is parsed.
     */
    static int compareTimes(String a, String b) {
        if (isServerFormat(a) && isServerFormat(b)) {
            return a.compareTo(b);
        }
        Instant x = parse(a);
        Instant y = parse(b);
        if (x == null || y == null) {
            return x == null ? (y == null ? 0 : -1) : 1;
        }
        return x.compareTo(y);
    }

    private static boolean isServerFormat(String time) {
        if (time == null || time.length() != 20 || time.charAt(19) != 'Z') {
            return false;
        }
        for (int i = 0; i < 19; i++) {
            char c = time.charAt(i);
            boolean ok = switch (i) {
                case 4, 7 -> c == '-';
                case 10 -> c == 'T';
                case 13, 16 -> c == ':';
                default -> c >= '0' && c <= '9';
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Instant parse(String time) {
        if (time == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException e) {
            // Not a time: it ranks like a missing one, and the header still carries the text as written.
            return null;
        }
    }
}
