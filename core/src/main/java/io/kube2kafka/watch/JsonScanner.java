package io.kube2kafka.watch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over the bytes of one JSON document that reads the few members the bridge needs and
 * skips every other value without looking inside it beyond its brackets and strings.
 *
 * <p>Why not Jackson's streaming parser, which the bridge used to read events with: reading who last
 * wrote an object means reaching the end of its metadata, through managedFields, about 1.5 KB of a
 * 5-6 KB pod, most of it short strings. Jackson tokenises every field name it meets, even while
 * skipping, into its factory's shared symbol table; managedFields' keys ({@code k:{"uid":"..."}},
 * {@code v:"..."}) are new on nearly every object, and a table that grows is copied by each next
 * parser (2.8x slower when the parse still read whole lines, docs/benchmark.md). Even without that,
 * creating a parser and tokenising cost more than the per-event budget (the parse at least 20x
 * cheaper than a tree decode, issue 13). Skipping needs only the brackets and the strings' ends, one
 * pass over the bytes; Jackson still decodes the rare kept string that contains escapes.
 *
 * <p>It checks the syntax of the objects it reads (a name, ':', a value, ',' or the closing
 * bracket) and that skipped strings, objects and arrays end; it does not validate what it skips.
 */
final class JsonScanner {
    /** Decodes escaped strings only (values, no field names), so its symbol table stays empty. */
    private static final JsonFactory STRINGS = new JsonFactory();

    private final byte[] json;
    /** Null: every kept string is decoded anew. */
    private final RecentStrings recent;
    private int pos;
    private int keyStart;
    private int keyEnd;
    /** The last member name, decoded, when it had escapes; null otherwise (compared as raw bytes). */
    private String escapedKey;

    JsonScanner(byte[] json, int pos) {
        this(json, pos, null);
    }

    /** @param recent decodes the strings read with {@link #repeatedString()}; null decodes each anew */
    JsonScanner(byte[] json, int pos, RecentStrings recent) {
        this.json = json;
        this.pos = pos;
        this.recent = recent;
    }

    int position() {
        return pos;
    }

    /** Enters an object: @return false when it is empty (and is then left). */
    boolean enterObject(String what) throws MalformedEventException {
        expect('{', what);
        if (peek() == '}') {
            pos++;
            return false;
        }
        return true;
    }

    /** Enters an array: @return false when it is empty (and is then left). */
    boolean enterArray(String what) throws MalformedEventException {
        expect('[', what);
        if (peek() == ']') {
            pos++;
            return false;
        }
        return true;
    }

    /** Reads a member's name and its ':'; {@link #keyIs} then tells which it was. */
    void key() throws MalformedEventException {
        if (peek() != '"') {
            throw malformed("a field name");
        }
        keyStart = pos;
        boolean escaped = skipString();
        keyEnd = pos;
        escapedKey = escaped ? decode(keyStart, keyEnd) : null;
        expect(':', "':'");
    }

    boolean keyIs(String name) {
        if (escapedKey != null) {
            return name.equals(escapedKey);
        }
        int length = name.length();
        if (keyEnd - keyStart - 2 != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (json[keyStart + 1 + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The first byte of the next value, which the cursor then points at. */
    byte peek() throws MalformedEventException {
        // The API server writes no blanks: one look in the common case. Every blank is at most ' '.
        if (pos < json.length && json[pos] > ' ') {
            return json[pos];
        }
        while (pos < json.length && isBlank(json[pos])) {
            pos++;
        }
        if (pos >= json.length) {
            throw malformed("more input");
        }
        return json[pos];
    }

    /** After a member or element: true at ',' (more follow), false at {@code close} (left); both consumed. */
    boolean more(char close) throws MalformedEventException {
        byte b = peek();
        if (b == ',') {
            pos++;
            return true;
        }
        if (b == close) {
            pos++;
            return false;
        }
        throw malformed("',' or '" + close + "'");
    }

    /** The string value at the cursor. */
    String string() throws MalformedEventException {
        int start = pos;
        boolean escaped = skipString();
        return escaped ? decode(start, pos) : new String(json, start + 1, pos - start - 2, StandardCharsets.UTF_8);
    }

    /**
     * The string value at the cursor, which is likely to repeat from line to line (a kind, a
     * namespace, a manager): taken from the parser's {@link RecentStrings} when it has one.
     */
    String repeatedString() throws MalformedEventException {
        int start = pos;
        boolean escaped = skipString();
        if (escaped || recent == null) {
            return escaped ? decode(start, pos) : new String(json, start + 1, pos - start - 2, StandardCharsets.UTF_8);
        }
        return recent.get(json, start + 1, pos - 1);
    }

    /**
     * Moves past the string value at the cursor without decoding it.
     *
     * @return where it is: its opening quote's index in the high half, the index after its closing quote in the low
     */
    long stringSpan() throws MalformedEventException {
        long start = pos;
        skipString();
        return start << 32 | pos;
    }

    /** The string at a span {@link #stringSpan} returned. */
    String string(long span) throws MalformedEventException {
        int start = (int) (span >>> 32);
        int end = (int) span;
        return hasEscape(start, end) ? decode(start, end) : new String(json, start + 1, end - start - 2, StandardCharsets.UTF_8);
    }

    /** As {@link #repeatedString()}, for a span {@link #stringSpan} returned. */
    String repeatedString(long span) throws MalformedEventException {
        int start = (int) (span >>> 32);
        int end = (int) span;
        if (hasEscape(start, end)) {
            return decode(start, end);
        }
        return recent == null ? new String(json, start + 1, end - start - 2, StandardCharsets.UTF_8) : recent.get(json, start + 1, end - 1);
    }

    /** Whether the string between the quotes at {@code start} and {@code end - 1} holds an escape. */
    private boolean hasEscape(int start, int end) {
        for (int i = start + 1; i < end - 1; i++) {
            if (json[i] == '\\') {
                return true;
            }
        }
        return false;
    }

    /** The line's bytes, for comparing spans without decoding them. */
    byte[] source() {
        return json;
    }

    /** The number at the cursor as an int, 0 when it is not one that fits. */
    int integer() throws MalformedEventException {
        int start = pos;
        skipValue();
        try {
            return Integer.parseInt(new String(json, start, pos - start, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            // A Status code that is not an int says nothing usable; as Jackson's reading did, it counts as none.
            return 0;
        }
    }

    /** Moves past one value of any kind: strings to their closing quote, objects and arrays to their closing bracket. */
    void skipValue() throws MalformedEventException {
        byte first = peek();
        if (first == '"') {
            skipString();
        } else if (first == '{' || first == '[') {
            skipNested();
        } else {
            int start = pos;
            while (pos < json.length && json[pos] != ',' && json[pos] != '}' && json[pos] != ']' && !isBlank(json[pos])) {
                pos++;
            }
            if (pos == start) {
                throw malformed("a value");
            }
        }
    }

    /** One tight pass over an object or array, counting brackets outside strings. */
    private void skipNested() throws MalformedEventException {
        byte[] in = json;
        int i = pos;
        int depth = 0;
        while (i < in.length) {
            byte b = in[i++];
            if (b == '"') {
                while (i < in.length && (b = in[i++]) != '"') {
                    if (b == '\\') {
                        i++;
                    }
                }
            } else if (b == '{' || b == '[') {
                depth++;
            } else if ((b == '}' || b == ']') && --depth == 0) {
                pos = i;
                return;
            }
        }
        int startedAt = pos;
        pos = in.length;
        throw new MalformedEventException("not valid JSON: the object or array at byte " + startedAt + " does not end", null);
    }

    /** Moves past the string whose opening quote is at the cursor; @return whether it contains escapes. */
    private boolean skipString() throws MalformedEventException {
        byte[] in = json;
        boolean escaped = false;
        int i = pos + 1;
        while (i < in.length) {
            byte b = in[i++];
            if (b == '"') {
                pos = i;
                return escaped;
            }
            if (b == '\\') {
                escaped = true;
                i++;
            }
        }
        int startedAt = pos;
        pos = in.length;
        throw new MalformedEventException("not valid JSON: the string at byte " + startedAt + " does not end", null);
    }

    private void expect(char c, String what) throws MalformedEventException {
        if (peek() != c) {
            throw malformed(what);
        }
        pos++;
    }

    private String decode(int start, int end) throws MalformedEventException {
        try (JsonParser parser = STRINGS.createParser(json, start, end - start)) {
            parser.nextToken();
            return parser.getText();
        } catch (IOException e) {
            throw new MalformedEventException("invalid string at byte " + start + ": " + e.getMessage(), e);
        }
    }

    MalformedEventException malformed(String expected) {
        return new MalformedEventException("not valid JSON: expected " + expected + " at byte " + pos, null);
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
