package io.kube2kafka.watch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the attribution out of a {@code metadata.managedFields} array straight from the bytes of a
 * line: each entry's manager, operation and time, everything else skipped.
 *
 * <p>Why not Jackson's parser here: it puts every field name it meets, even while skipping, into its
 * factory's shared symbol table, and the keys of {@code fieldsV1} ({@code k:{"uid":"..."}},
 * {@code v:"..."}) are new on nearly every object. A table that grows is copied by the next parser
 * and merged back when it closes, which made the per-event parse 2.8x slower when it still read whole
 * lines (docs/benchmark.md, decode cost). Jackson cannot skip a value without reading its names, so
 * this class only finds where values end (strings with escapes, nested objects and arrays) and hands
 * the few strings it keeps to Jackson when they contain escapes.
 *
 * <p>It checks only what it walks through: what follows the array is the caller's business.
 */
final class ManagedFieldsScanner {
    /** Decodes escaped strings only (no field names), so its symbol table stays empty. */
    private static final JsonFactory STRINGS = new JsonFactory();

    /**
     * @param attribution from the newest entry; null when the array is empty or its entries name nothing
     * @param end the index just after the array's closing ']'
     */
    record Result(Attribution attribution, int end) {
    }

    private final byte[] json;
    private int pos;

    private ManagedFieldsScanner(byte[] json, int pos) {
        this.json = json;
        this.pos = pos;
    }

    /** @param start the index of the array's '[' */
    static Result scan(byte[] json, int start) throws MalformedEventException {
        ManagedFieldsScanner scanner = new ManagedFieldsScanner(json, start);
        NewestManagedFieldsEntry newest = new NewestManagedFieldsEntry();
        scanner.expect('[');
        if (scanner.peek() == ']') {
            scanner.pos++;
        } else {
            do {
                if (scanner.peek() == '{') {
                    scanner.entry(newest);
                } else {
                    // Not an entry the API server would write; it says nothing about who wrote the object.
                    scanner.skipValue();
                }
            } while (scanner.nextIsComma(']'));
        }
        return new Result(newest.newest(), scanner.pos);
    }

    /** True when the first non-blank byte at or after {@code from} is '}': nothing follows in the enclosing object. */
    static boolean closesObject(byte[] json, int from) {
        int i = from;
        while (i < json.length && isBlank(json[i])) {
            i++;
        }
        return i < json.length && json[i] == '}';
    }

    private void entry(NewestManagedFieldsEntry newest) throws MalformedEventException {
        String manager = null;
        String operation = null;
        String time = null;
        expect('{');
        if (peek() == '}') {
            pos++;
        } else {
            do {
                if (peek() != '"') {
                    throw malformed("a field name");
                }
                int keyStart = pos;
                boolean escaped = skipString();
                int keyEnd = pos;
                String key = escaped ? decode(keyStart, keyEnd) : null;
                expect(':');
                if (peek() != '"') {
                    skipValue();
                } else if (is("manager", key, keyStart, keyEnd)) {
                    manager = readString();
                } else if (is("operation", key, keyStart, keyEnd)) {
                    operation = readString();
                } else if (is("time", key, keyStart, keyEnd)) {
                    time = readString();
                } else {
                    skipValue();
                }
            } while (nextIsComma('}'));
        }
        newest.offer(manager, operation, time);
    }

    /** Whether the key from {@code keyStart} to {@code keyEnd} (quotes included) is {@code name}; {@code decoded} when it had escapes. */
    private boolean is(String name, String decoded, int keyStart, int keyEnd) {
        if (decoded != null) {
            return name.equals(decoded);
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

    private String readString() throws MalformedEventException {
        int start = pos;
        boolean escaped = skipString();
        return escaped ? decode(start, pos) : new String(json, start + 1, pos - start - 2, StandardCharsets.UTF_8);
    }

    /** Moves past the string starting at {@code pos}; @return whether it contains escapes. */
    private boolean skipString() throws MalformedEventException {
        boolean escaped = false;
        int i = pos + 1;
        while (i < json.length) {
            byte b = json[i];
            if (b == '"') {
                pos = i + 1;
                return escaped;
            }
            if (b == '\\') {
                escaped = true;
                i += 2;
            } else {
                i++;
            }
        }
        throw malformed("the end of a string");
    }

    /** Moves past one value of any kind, without looking inside strings beyond their escapes. */
    private void skipValue() throws MalformedEventException {
        byte first = peek();
        if (first == '"') {
            skipString();
            return;
        }
        if (first == '{' || first == '[') {
            int depth = 0;
            while (pos < json.length) {
                byte b = json[pos];
                if (b == '"') {
                    skipString();
                    continue;
                }
                if (b == '{' || b == '[') {
                    depth++;
                } else if (b == '}' || b == ']') {
                    depth--;
                }
                pos++;
                if (depth == 0) {
                    return;
                }
            }
            throw malformed("the end of an object or array");
        }
        int start = pos;
        while (pos < json.length && json[pos] != ',' && json[pos] != '}' && json[pos] != ']' && !isBlank(json[pos])) {
            pos++;
        }
        if (pos == start) {
            throw malformed("a value");
        }
    }

    /** After a member or element: true at ',', false at {@code close} (both consumed). */
    private boolean nextIsComma(char close) throws MalformedEventException {
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

    private void expect(char c) throws MalformedEventException {
        if (peek() != c) {
            throw malformed("'" + c + "'");
        }
        pos++;
    }

    /** The next non-blank byte, which {@code pos} then points at. */
    private byte peek() throws MalformedEventException {
        while (pos < json.length && isBlank(json[pos])) {
            pos++;
        }
        if (pos >= json.length) {
            throw malformed("more input");
        }
        return json[pos];
    }

    private String decode(int start, int end) throws MalformedEventException {
        try (JsonParser parser = STRINGS.createParser(json, start, end - start)) {
            parser.nextToken();
            return parser.getText();
        } catch (IOException e) {
            throw new MalformedEventException("metadata.managedFields holds an invalid string at byte " + start + ": " + e.getMessage(), e);
        }
    }

    private MalformedEventException malformed(String expected) {
        return new MalformedEventException("metadata.managedFields is not valid JSON: expected " + expected + " at byte " + pos, null);
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
