package io.kube2kafka.watch;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits a watch stream into lines, one JSON event each.
 *
 * <p>A chunk boundary is not a line boundary: the reader hands a line on the moment its newline
 * arrives and keeps an unfinished line until the rest comes. It reads whatever the connection has
 * (never waits to fill a buffer), so a lone event after an idle hour is delivered at once.
 *
 * <p>Like Okio's {@code readUtf8LineStrict(limit)}: this is machine-generated data, so a stream that
 * ends inside a line was cut, and that partial line is never an event; and a line longer than the
 * limit is refused, so a broken stream cannot exhaust memory.
 */
public final class WatchLineReader {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long NEWLINES = ONES * '\n';
    private final InputStream in;
    private final int maxLineBytes;
    private byte[] buffer = new byte[16 * 1024];
    /** Bytes [start, end) are read but not yet handed on; [start, scanned) hold no newline. */
    private int start;
    private int scanned;
    private int end;

    public WatchLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The next line without its line terminator, or null when the stream ended cleanly after a
     * complete line.
     *
     * @throws TruncatedStreamException when the stream ends inside a line
     * @throws OversizedLineException when a line exceeds the limit
     */
    public byte[] nextLine() throws IOException {
        while (true) {
            int newline = nextNewline();
            if (newline >= 0) {
                int lineEnd = newline > start && buffer[newline - 1] == '\r' ? newline - 1 : newline;
                byte[] line = Arrays.copyOfRange(buffer, start, lineEnd);
                start = newline + 1;
                scanned = start;
                return line;
            }
            if (end - start > maxLineBytes) {
                throw new OversizedLineException(maxLineBytes);
            }
            makeRoom();
            int read = in.read(buffer, end, buffer.length - end);
            if (read < 0) {
                if (end > start) {
                    throw new TruncatedStreamException(end - start);
                }
                return null;
            }
            end += read;
        }
    }

    /** Whether a whole line is already read, so {@link #nextLine()} returns it without touching the connection. */
    public boolean hasCompleteLine() {
        return nextNewline() >= 0;
    }

    /**
     * The first newline in the unread bytes, or -1; bytes found to hold none are not scanned again.
     * Eight bytes at a time: every byte of an event passes here, and a byte-by-byte loop was a tenth
     * of the watch thread's time in a firehose.
     */
    private int nextNewline() {
        int i = scanned;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = (long) LONGS.get(buffer, i) ^ NEWLINES;
            // Sets the high bit of every byte that was zero, i.e. was a newline (Hacker's Delight 6-1).
            long found = (word - ONES) & ~word & HIGH_BITS;
            if (found != 0) {
                return i + Long.numberOfTrailingZeros(found) / Byte.SIZE;
            }
        }
        for (; i < end; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        scanned = end;
        return -1;
    }

    private void makeRoom() {
        if (end < buffer.length) {
            return;
        }
        int pending = end - start;
        if (start > 0 && pending < buffer.length / 2) {
            System.arraycopy(buffer, start, buffer, 0, pending);
        } else {
            buffer = Arrays.copyOfRange(buffer, start, start + Math.max(buffer.length * 2, 16 * 1024));
        }
        scanned -= start;
        end = pending;
        start = 0;
    }

    /** The connection closed in the middle of a line: the partial line is dropped and the watch resumed. */
    public static final class TruncatedStreamException extends IOException {
        public TruncatedStreamException(int partialBytes) {
            super("watch stream ended inside a line (" + partialBytes + " bytes without a newline): connection cut");
        }
    }

    /** A line longer than the configured limit. */
    public static final class OversizedLineException extends IOException {
        public OversizedLineException(int limit) {
            super("watch event line exceeds watch.max-event-bytes=" + limit);
        }
    }
}
