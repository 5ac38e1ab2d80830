package io.kube2kafka.watch;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WatchLineReaderTest {

    /** Delivers the bytes in the given pieces, one per read, like chunks off a socket. */
    private static InputStream inPieces(List<byte[]> pieces) {
        return new InputStream() {
            int next;
            int offsetInPiece;

            @Override
            public int read() {
                throw new UnsupportedOperationException("the reader must read in bulk");
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (next == pieces.size()) {
                    return -1;
                }
                byte[] piece = pieces.get(next);
                int count = Math.min(length, piece.length - offsetInPiece);
                System.arraycopy(piece, offsetInPiece, buffer, offset, count);
                offsetInPiece += count;
                if (offsetInPiece == piece.length) {
                    next++;
                    offsetInPiece = 0;
                }
                return count;
            }
        };
    }

    @Test
    void linesSplitAtRandomPointsIncludingInsideUtf8CharactersComeOutWhole() throws IOException {
        List<String> events = new ArrayList<>();
        StringBuilder stream = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            String event = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"pod-" + i + "\",\"annotations\":{\"d\":\"Grüße 🚀 " + "x".repeat(i * 7) + "\"}}}}";
            events.add(event);
            stream.append(event).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        byte[] bytes = stream.toString().getBytes(StandardCharsets.UTF_8);
        Random random = new Random(7);
        List<byte[]> pieces = new ArrayList<>();
        for (int at = 0; at < bytes.length; ) {
            int size = Math.min(bytes.length - at, 1 + random.nextInt(300));
            byte[] piece = new byte[size];
            System.arraycopy(bytes, at, piece, 0, size);
            pieces.add(piece);
            at += size;
        }
        WatchLineReader reader = new WatchLineReader(inPieces(pieces), 1 << 20);
        for (String event : events) {
            assertEquals(event, new String(reader.nextLine(), StandardCharsets.UTF_8));
        }
        assertNull(reader.nextLine(), "a clean end after the last newline");
    }

    @Test
    void aLineIsHandedOnAsSoonAsItsNewlineArrivesWithoutWaitingForMoreBytes() throws Exception {
        PipedOutputStream server = new PipedOutputStream();
        PipedInputStream connection = new PipedInputStream(server, 64 * 1024);
        WatchLineReader reader = new WatchLineReader(connection, 1 << 20);
        BlockingQueue<String> delivered = new ArrayBlockingQueue<>(10);
        Thread consumer = new Thread(() -> {
            try {
                byte[] line;
                while ((line = reader.nextLine()) != null) {
                    delivered.add(new String(line, StandardCharsets.UTF_8));
                }
            } catch (IOException ignored) {
                // the pipe closes at the end of the test
            }
        });
        consumer.start();
        server.write("{\"type\":\"ADD".getBytes(StandardCharsets.UTF_8));
        server.flush();
        assertNull(delivered.poll(200, TimeUnit.MILLISECONDS), "half a line is never handed on");
        server.write("ED\"}\n{\"type\":\"MOD".getBytes(StandardCharsets.UTF_8));
        server.flush();
        // The connection stays open and the next line is unfinished: the complete one must still arrive.
        assertEquals("{\"type\":\"ADDED\"}", delivered.poll(10, TimeUnit.SECONDS));
        server.close();
        consumer.join();
    }

    @Test
    void aStreamCutInsideALineIsATruncatedStreamNotAnEvent() throws IOException {
        WatchLineReader reader = new WatchLineReader(new ByteArrayInputStream("{\"a\":1}\n{\"type\":\"MODIF".getBytes(StandardCharsets.UTF_8)), 1024);
        assertNotNull(reader.nextLine());
        assertThrows(WatchLineReader.TruncatedStreamException.class, reader::nextLine);
    }

    @Test
    void aLineOverTheLimitIsRefusedBeforeItExhaustsMemory() {
        byte[] endless = new byte[10_000];
        java.util.Arrays.fill(endless, (byte) 'x');
        WatchLineReader reader = new WatchLineReader(new ByteArrayInputStream(endless), 4096);
        assertThrows(WatchLineReader.OversizedLineException.class, reader::nextLine);
    }

    @Test
    void longLinesGrowTheBufferAndKeepEveryByte() throws IOException {
        String big = "y".repeat(100_000);
        WatchLineReader reader = new WatchLineReader(new ByteArrayInputStream((big + "\nshort\n").getBytes(StandardCharsets.UTF_8)), 1 << 20);
        assertArrayEquals(big.getBytes(StandardCharsets.UTF_8), reader.nextLine());
        assertEquals("short", new String(reader.nextLine(), StandardCharsets.UTF_8));
    }

    @Test
    void tellsWhetherTheNextLineIsAlreadyReadWithoutTouchingTheConnection() throws IOException {
        WatchLineReader reader = new WatchLineReader(inPieces(List.of("a\nb\nc".getBytes(StandardCharsets.UTF_8))), 1024);
        assertEquals("a", new String(reader.nextLine(), StandardCharsets.UTF_8));
        assertEquals(true, reader.hasCompleteLine(), "b arrived in the same read");
        assertEquals("b", new String(reader.nextLine(), StandardCharsets.UTF_8));
        assertEquals(false, reader.hasCompleteLine(), "c has no newline yet");
        assertThrows(WatchLineReader.TruncatedStreamException.class, reader::nextLine);
    }

    /** The newline scan reads eight bytes at a time: a newline in any position of a word, or in the tail, is found. */
    @Test
    void findsEveryNewlineWhateverItsPositionInAnEightByteWord() throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder stream = new StringBuilder();
        for (int length = 0; length <= 40; length++) {
            // \u00e9 and a byte of value 0x0b (newline + 1) exercise the borrow of the bit trick
            String line = ("\u00e9\u000b" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH").substring(0, length);
            lines.add(line);
            stream.append(line).append('\n');
        }
        byte[] bytes = stream.toString().getBytes(StandardCharsets.UTF_8);
        for (int pieceSize : new int[] {1, 3, 8, 13, bytes.length}) {
            List<byte[]> pieces = new ArrayList<>();
            for (int i = 0; i < bytes.length; i += pieceSize) {
                pieces.add(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + pieceSize)));
            }
            WatchLineReader reader = new WatchLineReader(inPieces(pieces), 1024);
            List<String> read = new ArrayList<>();
            byte[] line;
            while ((line = reader.nextLine()) != null) {
                read.add(new String(line, StandardCharsets.UTF_8));
            }
            assertEquals(lines, read, "pieces of " + pieceSize + " bytes");
        }
    }
}
