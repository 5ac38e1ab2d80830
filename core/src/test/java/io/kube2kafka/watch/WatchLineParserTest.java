package io.kube2kafka.watch;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the parser reads of a line, now that it stops once it knows enough. */
class WatchLineParserTest {
    private final WatchLineParser parser = new WatchLineParser();

    private WatchLineParser.ParsedLine parse(String line) throws MalformedEventException {
        return parser.parse(line.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheMetadataOfANamespacedObjectWhateverFollows() throws Exception {
        var parsed = parse("{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web-1\","
                + "\"namespace\":\"shop\",\"uid\":\"u-1\",\"resourceVersion\":\"42\",\"managedFields\":[{\"k:{\\\"uid\\\":\\\"x\\\"}\":{}}]},"
                + "\"spec\":{\"containers\":[]},\"status\":{\"phase\":\"Running\"}}}");
        assertEquals("MODIFIED", parsed.type());
        assertEquals("Pod", parsed.kind());
        assertEquals("v1", parsed.apiVersion());
        assertEquals("web-1", parsed.name());
        assertEquals("shop", parsed.namespace());
        assertEquals("u-1", parsed.uid());
        assertEquals("42", parsed.resourceVersion());
    }

    @Test
    void readsAClusterScopedObjectToTheEndOfItsMetadata() throws Exception {
        var parsed = parse("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"n1\",\"uid\":\"u-2\",\"resourceVersion\":\"7\","
                + "\"labels\":{\"a\":\"b\"}},\"kind\":\"Node\",\"spec\":{}}}");
        assertEquals("n1", parsed.name());
        assertNull(parsed.namespace());
        assertEquals("u-2", parsed.uid());
        assertEquals("7", parsed.resourceVersion());
    }

    @Test
    void readsFieldsInAnyOrderWhenTheTypeComesLast() throws Exception {
        var parsed = parse("{\"object\":{\"metadata\":{\"namespace\":\"a\",\"name\":\"b\",\"uid\":\"c\",\"resourceVersion\":\"9\"}},\"type\":\"DELETED\"}");
        assertEquals("DELETED", parsed.type());
        assertEquals("c", parsed.uid());
    }

    @Test
    void readsAnErrorEventsStatusAfterItsMetadata() throws Exception {
        var parsed = parse("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                + "\"status\":\"Failure\",\"message\":\"too old resource version: 1 (5)\",\"reason\":\"Expired\",\"code\":410}}");
        assertEquals(410, parsed.statusCode());
        assertEquals("Expired", parsed.statusReason());
        assertEquals("too old resource version: 1 (5)", parsed.statusMessage());
    }

    /**
     * One parser reads every line of a watch and keeps the strings that repeat (namespaces, managers):
     * a namespace or manager it saw before must never stand in for a different one, however many pass.
     */
    @Test
    void manyNamespacesAndManagersInTurnAreEachReadAsWritten() throws Exception {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 500; i++) {
                var parsed = parse("{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{"
                        + "\"name\":\"p\",\"namespace\":\"ns-" + i + "\",\"uid\":\"u\",\"resourceVersion\":\"1\","
                        + "\"managedFields\":[{\"manager\":\"m-" + (i * 7 % 500) + "\",\"operation\":\"Apply\","
                        + "\"time\":\"2026-01-01T00:00:00Z\"}]}}}");
                assertEquals("ns-" + i, parsed.namespace());
                assertEquals("m-" + (i * 7 % 500), parsed.attribution().manager());
                assertEquals("Apply", parsed.attribution().operation());
            }
        }
    }

    @Test
    void refusesALineThatDoesNotEndLikeAnObject() {
        assertThrows(MalformedEventException.class, () -> parse("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"namespace\":\"a\","
                + "\"name\":\"b\",\"uid\":\"c\",\"resourceVersion\":\"9\"},\"spec\":{\"x\":"));
        assertThrows(MalformedEventException.class, () -> parse("{\"object\":{}}"));
    }
}
