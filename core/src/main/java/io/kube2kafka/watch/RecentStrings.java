package io.kube2kafka.watch;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The strings a watch's parse meets on nearly every line, decoded once: event types, kinds,
 * apiVersions, namespaces, field managers and operations. A small table indexed by a hash of the
 * bytes, the newest string winning a slot; a line then costs a hash and a compare instead of a new
 * String each (the parse's budget is a twentieth of a tree decode, issue 13). One per parser, so per
 * watch thread; not thread-safe.
 */
final class RecentStrings {
    /** A pod event holds about six such strings; 64 slots keep those of a few dozen namespaces and managers. */
    private static final int SLOTS = 64;
    /** Longer strings are rarely repeated names; they are decoded as they come. */
    private static final int MAX_BYTES = 64;

    private final byte[][] bytes = new byte[SLOTS][];
    private final String[] strings = new String[SLOTS];

    /** The string of {@code source[from, to)}, which holds no JSON escapes. */
    String get(byte[] source, int from, int to) {
        int length = to - from;
        if (length > MAX_BYTES) {
            return new String(source, from, length, StandardCharsets.UTF_8);
        }
        int hash = length;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + source[i];
        }
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        byte[] known = bytes[slot];
        if (known != null && Arrays.equals(known, 0, known.length, source, from, to)) {
            return strings[slot];
        }
        String decoded = new String(source, from, length, StandardCharsets.UTF_8);
        bytes[slot] = Arrays.copyOfRange(source, from, to);
        strings[slot] = decoded;
        return decoded;
    }
}
