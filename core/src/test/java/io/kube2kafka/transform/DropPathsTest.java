package io.kube2kafka.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.kube2kafka.config.ConfigurationException;
import io.kube2kafka.config.SettingsLoader;
import io.kube2kafka.watch.ApiResource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** output.drop-paths: JSON Pointers removed from every object, validated at start-up. */
class DropPathsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ApiResource CONFIGMAPS = new ApiResource("", "v1", "configmaps", "ConfigMap", true);
    private static final byte[] EVENT = ("{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\","
            + "\"metadata\":{\"name\":\"a\",\"uid\":\"u1\",\"resourceVersion\":\"7\",\"annotations\":{\"example.com/note\":\"x\",\"keep\":\"y\"}},"
            + "\"data\":{\"big\":\"...\",\"small\":\"s\"},\"items\":[1,2,3]}}").getBytes(StandardCharsets.UTF_8);

    @Test
    void dropsWhatEachPointerNamesAndNothingElse() throws Exception {
        ObjectTransform transform = new ObjectTransform(true, false, List.of("/metadata/annotations/example.com~1note", "/data/big", "/items/1", "/no/such/path"));
        JsonNode object = JSON.readTree(transform.apply(CONFIGMAPS, EVENT)).path("object");
        assertFalse(object.path("metadata").path("annotations").has("example.com/note"));
        assertEquals("y", object.path("metadata").path("annotations").path("keep").asText());
        assertFalse(object.path("data").has("big"));
        assertEquals("s", object.path("data").path("small").asText());
        assertEquals("[1,3]", object.path("items").toString());
        assertEquals("u1", object.path("metadata").path("uid").asText());
    }

    @Test
    void withoutDropPathsTheServersBytesPassThrough() {
        assertArrayEquals(EVENT, new ObjectTransform(true, false, List.of()).apply(CONFIGMAPS, EVENT));
    }

    @Test
    void badOrIdentifyingPointersAreConfigurationErrorsNamingTheEntry() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> new SettingsLoader(Map.of()).from(
                ConfigFactory.parseString("kube2kafka.output.drop-paths = [\"status\", \"/metadata/uid\", \"/status\"]"), new ArrayList<>()));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("output.drop-paths entry \"status\": must be a JSON Pointer"), e.getMessage());
        assertTrue(e.problems().get(1).contains("\"/metadata/uid\": identifies the object"), e.getMessage());
    }

    @Test
    void theEnvironmentTakesACommaSeparatedList() throws Exception {
        var settings = new SettingsLoader(Map.of("KUBE2KAFKA_OUTPUT_DROP_PATHS", "/status, /metadata/labels")).load(null, null);
        assertEquals(List.of("/status", "/metadata/labels"), settings.output().dropPaths());
    }
}
