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
    /** An entry without this member. */
    static final long ABSENT = -1;

    private final JsonScanner line;
    // Spans in the line (JsonScanner.stringSpan): only the newest entry's strings are ever decoded.
    private long manager = ABSENT;
    private long operation = ABSENT;
    private long time = ABSENT;
    private boolean any;

    NewestManagedFieldsEntry(JsonScanner line) {
        this.line = line;
    }

    /** The spans of an entry's manager, operation and time, each {@link #ABSENT} when the entry lacks it. */
    void offer(long manager, long operation, long time) throws MalformedEventException {
        if (!any || compareTimes(time, this.time) >= 0) {
            this.manager = manager;
            this.operation = operation;
            this.time = time;
            any = true;
        }
    }

    /** @return null when no entry was offered, or the newest names nothing */
    Attribution newest() throws MalformedEventException {
        if (manager == ABSENT && operation == ABSENT && time == ABSENT) {
            return null;
        }
        return new Attribution(manager == ABSENT ? null : line.repeatedString(manager),
                operation == ABSENT ? null : line.repeatedString(operation), time == ABSENT ? null : line.string(time));
    }

    /** As {@link #compareTimes(String, String)}, on the bytes as they are when both are in the server's format. */
    private int compareTimes(long a, long b) throws MalformedEventException {
        byte[] json = line.source();
        if (isServerFormat(json, a) && isServerFormat(json, b)) {
            return java.util.Arrays.compare(json, (int) (a >>> 32), (int) a, json, (int) (b >>> 32), (int) b);
        }
        return compareTimes(a == ABSENT ? null : line.string(a), b == ABSENT ? null : line.string(b));
    }

    private static boolean isServerFormat(byte[] json, long span) {
        if (span == ABSENT) {
            return false;
        }
        int start = (int) (span >>> 32) + 1;
        int end = (int) span - 1;
        if (end - start != 20 || json[start + 19] != 'Z') {
            return false;
        }
        for (int i = 0; i < 19; i++) {
            if (!isServerFormatChar(i, (char) json[start + i])) {
                return false;
            }
        }
        return true;
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
            if (!isServerFormatChar(i, time.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Character {@code i} of "2006-01-02T15:04:05Z", digits where the layout has digits. */
    private static boolean isServerFormatChar(int i, char c) {
        return switch (i) {
            case 4, 7 -> c == '-';
            case 10 -> c == 'T';
            case 13, 16 -> c == ':';
            default -> c >= '0' && c <= '9';
        };
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
