package io.kube2kafka.watch;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Skipping an object or array must end exactly at its closing bracket, whatever brackets, quotes and
 * escapes its strings hold: a skip that ends early or late hands the bridge the wrong uid or writer.
 * Written while trying a word-at-a-time skip (slower than this byte loop on this machine,
 * docs/benchmark.md), and kept for any next attempt.
 */
class JsonScannerSkipTest {
    @Test
    void skipsToTheMatchingBracketWhateverTheStringsHold() throws MalformedEventException {
        String value = "{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}},"
                + "\"f:ownerReferences\":{\"k:{\\\"uid\\\":\\\"aba9\\\"}\":{}}},"
                + "\"a\":[1,\"]}\",{\"b\":\"\\\\\"},[]],\"c\":\"{[\\\"\"}";
        for (int padding = 0; padding < 16; padding++) {
            String line = "x".repeat(padding) + value + ",\"after\":1}";
            assertSkippedTo(line, padding, padding + value.length());
        }
    }

    /** Random documents with strings full of brackets, quotes and escapes, checked against a byte-at-a-time skip. */
    @Test
    void agreesWithAByteAtATimeSkipOnRandomDocuments() throws MalformedEventException {
        Random random = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder doc = new StringBuilder();
            int padding = random.nextInt(9);
            doc.append(" ".repeat(padding));
            appendValue(doc, random, 0);
            int end = doc.length();
            doc.append(random.nextBoolean() ? "}" : ",\"tail\":{\"k\":\"v\"}}");
            String line = doc.toString();
            assertEquals(end, referenceSkip(line.getBytes(StandardCharsets.UTF_8), padding), "reference on " + line);
            assertSkippedTo(line, padding, end);
        }
    }

    @Test
    void anObjectThatDoesNotEndIsMalformed() {
        byte[] line = "{\"a\":{\"b\":\"}}\"".getBytes(StandardCharsets.UTF_8);
        JsonScanner scanner = new JsonScanner(line, 0);
        MalformedEventException e = assertThrows(MalformedEventException.class, scanner::skipValue);
        assertEquals("not valid JSON: the object or array at byte 0 does not end", e.getMessage());
    }

    private static void assertSkippedTo(String line, int start, int end) throws MalformedEventException {
        JsonScanner scanner = new JsonScanner(line.getBytes(StandardCharsets.UTF_8), start);
        scanner.skipValue();
        assertEquals(end, scanner.position(), line);
    }

    private static void appendValue(StringBuilder doc, Random random, int depth) {
        int kind = depth > 4 ? 2 : random.nextInt(4);
        switch (kind) {
            case 0 -> appendContainer(doc, random, depth, true);
            case 1 -> appendContainer(doc, random, depth, false);
            case 2 -> appendString(doc, random);
            default -> doc.append(random.nextInt(1000));
        }
    }

    /** An object or an array of up to three random members or elements. */
    private static void appendContainer(StringBuilder doc, Random random, int depth, boolean object) {
        doc.append(object ? '{' : '[');
        int size = random.nextInt(4);
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                doc.append(',');
            }
            if (object) {
                appendString(doc, random);
                doc.append(':');
            }
            appendValue(doc, random, depth + 1);
        }
        doc.append(object ? '}' : ']');
    }

    private static void appendString(StringBuilder doc, Random random) {
        String alphabet = "ab{}[]\",:\\";
        doc.append('"');
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            if (c == '"' || c == '\\') {
                doc.append('\\');
            }
            doc.append(c);
        }
        doc.append('"');
    }

    private static int referenceSkip(byte[] in, int start) {
        int i = start;
        byte first = in[i];
        if (first == '"') {
            i++;
            while (in[i] != '"') {
                i += in[i] == '\\' ? 2 : 1;
            }
            return i + 1;
        }
        if (first != '{' && first != '[') {
            while (in[i] != ',' && in[i] != '}') {
                i++;
            }
            return i;
        }
        int depth = 0;
        boolean inString = false;
        while (true) {
            byte b = in[i++];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if ((b == '}' || b == ']') && --depth == 0) {
                return i;
            }
        }
    }
}
