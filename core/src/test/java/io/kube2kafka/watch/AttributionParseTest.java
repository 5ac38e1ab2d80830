package io.kube2kafka.watch;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Who last wrote an object, as the streaming parse reads it from metadata.managedFields. */
class AttributionParseTest {
    private final WatchLineParser parser = new WatchLineParser();

    /** A pod event as the API server writes it: managedFields last in metadata, spec and status after. */
    private static String podEvent(String managedFields) {
        return "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web-1\","
                + "\"namespace\":\"shop\",\"uid\":\"u-1\",\"resourceVersion\":\"42\",\"generation\":1,"
                + "\"creationTimestamp\":\"2026-11-30T09:00:00Z\",\"labels\":{\"app\":\"web\"},"
                + "\"annotations\":{\"description\":\"Grüße\"},"
                + "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"web\",\"uid\":\"o-1\"}],"
                + "\"managedFields\":" + managedFields + "},"
                + "\"spec\":{\"containers\":[]},\"status\":{\"phase\":\"Running\"}}}";
    }

    private static String entry(String manager, String operation, String time) {
        return entry(manager, operation, time, "");
    }

    private static String entry(String manager, String operation, String time, String more) {
        return "{\"manager\":\"" + manager + "\",\"operation\":\"" + operation + "\",\"apiVersion\":\"v1\","
                + (time == null ? "" : "\"time\":\"" + time + "\",")
                + "\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:ownerReferences\":{\"k:{\\\"uid\\\":\\\"o-1\\\"}\":{}}},"
                + "\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"app\\\"}\":{\".\":{},\"f:ports\":[1,2]}}}}" + more + "}";
    }

    private static String array(String... entries) {
        return "[" + String.join(",", entries) + "]";
    }

    private Attribution attributionOf(String line) throws MalformedEventException {
        return parser.parse(line.getBytes(StandardCharsets.UTF_8)).attribution();
    }

    @Test
    void theNewestEntryNamesTheWriterWhereverItStandsInTheList() throws Exception {
        String creator = entry("kubectl-client-side-apply", "Update", "2026-11-30T10:00:00Z");
        String applier = entry("argocd-controller", "Apply", "2026-11-30T10:05:00Z");
        String editor = entry("kubectl-edit", "Update", "2026-11-30T10:03:00Z");
        for (List<String> order : List.of(List.of(creator, applier, editor), List.of(applier, editor, creator),
                List.of(editor, creator, applier))) {
            assertEquals(new Attribution("argocd-controller", "Apply", "2026-11-30T10:05:00Z"),
                    attributionOf(podEvent(array(order.toArray(String[]::new)))), "order " + order);
        }
    }

    @Test
    void onATieTheLaterEntryWins() throws Exception {
        // The API server sorts Apply before Update, then by time and manager name: on a tie the later one is the Update.
        String line = podEvent(array(entry("kubectl", "Apply", "2026-11-30T10:00:00Z"),
                entry("kube-controller-manager", "Update", "2026-11-30T10:00:00Z"),
                entry("old", "Update", "2026-11-30T09:00:00Z")));
        assertEquals(new Attribution("kube-controller-manager", "Update", "2026-11-30T10:00:00Z"), attributionOf(line));
    }

    @Test
    void anEntryWithoutATimeRanksBelowEveryEntryWithOne() throws Exception {
        assertEquals(new Attribution("timed", "Update", "2026-11-30T10:00:00Z"),
                attributionOf(podEvent(array(entry("timed", "Update", "2026-11-30T10:00:00Z"), entry("untimed", "Apply", null)))));
        assertEquals(new Attribution("second", "Apply", null),
                attributionOf(podEvent(array(entry("first", "Update", null), entry("second", "Apply", null)))),
                "with no time anywhere, the later entry");
    }

    @Test
    void aStatusWriteCountsAsAWrite() throws Exception {
        String line = podEvent(array(entry("kubectl-client-side-apply", "Update", "2026-11-30T10:00:00Z"),
                entry("kubelet", "Update", "2026-11-30T10:00:07Z", ",\"subresource\":\"status\"")));
        assertEquals(new Attribution("kubelet", "Update", "2026-11-30T10:00:07Z"), attributionOf(line));
    }

    @Test
    void timesNotInTheServersFormatAreComparedAsInstants() throws Exception {
        // 10:00:00.5Z is later than 10:00:00Z; 11:30+02:00 is 09:30Z, earlier than both.
        String line = podEvent(array(entry("fraction", "Update", "2026-11-30T10:00:00.5Z"),
                entry("whole", "Update", "2026-11-30T10:00:00Z"), entry("offset", "Update", "2026-11-30T11:30:00+02:00")));
        assertEquals("fraction", attributionOf(line).manager());
        assertEquals(new Attribution("readable", "Update", "2026-11-30T10:00:00Z"), attributionOf(podEvent(array(
                entry("readable", "Update", "2026-11-30T10:00:00Z"), entry("garbled", "Update", "yesterday")))),
                "an unreadable time ranks like a missing one");
    }

    @Test
    void anObjectWithoutManagedFieldsHasNoAttribution() throws Exception {
        assertNull(attributionOf("{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\",\"namespace\":\"b\","
                + "\"uid\":\"c\",\"resourceVersion\":\"1\",\"labels\":{\"x\":\"y\"}},\"spec\":{}}}"));
        assertNull(attributionOf(podEvent("[]")));
    }

    @Test
    void managedFieldsBeforeTheResourceVersionStillLeaveEveryFieldRead() throws Exception {
        var parsed = parser.parse(("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"n\",\"managedFields\":"
                + array(entry("kubectl-create", "Update", "2026-11-30T10:00:00Z")) + ",\"namespace\":\"ns\","
                + "\"uid\":\"u\",\"resourceVersion\":\"9\"},\"spec\":{}}}").getBytes(StandardCharsets.UTF_8));
        assertEquals("ns", parsed.namespace());
        assertEquals("u", parsed.uid());
        assertEquals("9", parsed.resourceVersion());
        assertEquals(new Attribution("kubectl-create", "Update", "2026-11-30T10:00:00Z"), parsed.attribution());
    }

    @Test
    void theTypeAfterTheObjectStillGetsTheAttribution() throws Exception {
        var parsed = parser.parse(("{\"object\":{\"metadata\":{\"uid\":\"u\",\"resourceVersion\":\"9\",\"managedFields\":"
                + array(entry("m", "Apply", "2026-11-30T10:00:00Z")) + "}},\"type\":\"DELETED\"}").getBytes(StandardCharsets.UTF_8));
        assertEquals("DELETED", parsed.type());
        assertEquals("m", parsed.attribution().manager());
    }

    @Test
    void escapedAndNonAsciiNamesAreDecoded() throws Exception {
        String line = podEvent("[{\"manager\":\"team \\\"blue\\\" \\u00e9\",\"oper\\u0061tion\":\"Update\",\"time\":\"2026-11-30T10:00:00Z\"},"
                + "{\"manager\":\"Grüße-bot\",\"operation\":\"Update\",\"time\":\"2026-11-30T09:00:00Z\"}]");
        assertEquals(new Attribution("team \"blue\" é", "Update", "2026-11-30T10:00:00Z"), attributionOf(line));
        assertEquals("Grüße-bot", attributionOf(podEvent("[{\"manager\":\"Grüße-bot\",\"time\":\"2026-11-30T09:00:00Z\"}]")).manager());
    }

    @Test
    void otherValuesUnderTheNamesDoNotConfuseIt() throws Exception {
        // "manager" as a key inside fieldsV1, and non-string values under the names the parse reads.
        String line = podEvent("[{\"manager\":\"real\",\"operation\":\"Update\",\"time\":\"2026-11-30T10:00:00Z\","
                + "\"fieldsV1\":{\"f:data\":{\"f:manager\":{},\"manager\":\"fake\",\"x\":[\"]\",\"}\",{\"time\":\"2099-01-01T00:00:00Z\"}]}}},"
                + "{\"manager\":7,\"operation\":null,\"time\":true}]");
        assertEquals(new Attribution("real", "Update", "2026-11-30T10:00:00Z"), attributionOf(line));
    }

    @Test
    void blanksEscapesAndNestedValuesInTheMetadataAreReadLikeJackson() throws Exception {
        var parsed = parser.parse(("{ \"type\" : \"ADDED\" , \"object\" : { \"metadata\" : {\n \"labels\" : { \"name\" : \"not-this\" } ,"
                + " \"na\\u006de\" : \"caf\\u00e9\" , \"namespace\":\"sh\\\"op\", \"uid\" : 7 , \"generation\" : 12 ,"
                + " \"resourceVersion\" : \"5\" , \"managedFields\" : [ { \"manager\" : \"m\" , \"time\" : \"2026-11-30T10:00:00Z\" } ] } } }")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("café", parsed.name());
        assertEquals("sh\"op", parsed.namespace());
        assertNull(parsed.uid(), "a uid that is not a string is none");
        assertEquals("5", parsed.resourceVersion());
        assertEquals(new Attribution("m", null, "2026-11-30T10:00:00Z"), parsed.attribution());
    }

    @Test
    void brokenManagedFieldsAreAMalformedLine() {
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> attributionOf(
                "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"uid\":\"u\",\"resourceVersion\":\"1\",\"managedFields\":[{\"manager\":\"m\"  \"x\":1}]}}}"));
        assertEquals(true, e.getMessage().contains("not a JSON watch event: not valid JSON: expected ',' or '}' at byte"), e.getMessage());
        assertThrows(MalformedEventException.class, () -> attributionOf(
                "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"uid\":\"u\",\"resourceVersion\":\"1\",\"managedFields\":[{\"manager\":\"m}]}}}"));
    }

    @Test
    void listItemsCarryTheirAttribution() throws Exception {
        String body = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"50\"},\"items\":["
                + podEvent(array(entry("a", "Update", "2026-11-30T10:00:00Z"))).replaceFirst("^\\{\"type\":\"MODIFIED\",\"object\":", "")
                        .replaceFirst("}$", "")
                + ",{\"metadata\":{\"name\":\"bare\",\"namespace\":\"shop\",\"uid\":\"u-2\",\"resourceVersion\":\"43\"},\"spec\":{}}"
                + ",{\"metadata\":{\"managedFields\":" + array(entry("b", "Apply", "2026-11-30T11:00:00Z"))
                + ",\"name\":\"first\",\"namespace\":\"shop\",\"uid\":\"u-3\",\"resourceVersion\":\"44\"},\"spec\":{}}]}";
        ApiResource pods = new ApiResource("", "v1", "pods", "Pod", true);
        var items = new ListPageParser().parse(body.getBytes(StandardCharsets.UTF_8), pods).items();
        assertEquals(3, items.size());
        assertEquals(new Attribution("a", "Update", "2026-11-30T10:00:00Z"), items.get(0).attribution());
        assertNull(items.get(1).attribution());
        assertEquals(new Attribution("b", "Apply", "2026-11-30T11:00:00Z"), items.get(2).attribution());
        assertEquals("u-3", items.get(2).uid());
        assertEquals("44", items.get(2).resourceVersion());
    }
}
