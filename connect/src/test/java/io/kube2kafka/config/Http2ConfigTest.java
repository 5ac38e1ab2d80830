package io.kube2kafka.config;

import com.typesafe.config.ConfigFactory;
import io.kube2kafka.connect.KubernetesSourceConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kubernetes.http2 and watch.ping-interval: defaults, per-cluster values, mistakes named by key, and Connect. */
class Http2ConfigTest {
    private static final String CLUSTER = "cluster = c, kubernetes.url = \"https://127.0.0.1:1\", resources = [pods]";

    private static BridgeSettings load(String hocon) throws ConfigurationException {
        return new SettingsLoader(Map.of()).from(ConfigFactory.parseString(hocon), new ArrayList<>());
    }

    @Test
    void http2IsAllowedAndPingedEvery15SecondsByDefault() throws Exception {
        BridgeSettings settings = load("kube2kafka { " + CLUSTER + " }");
        assertTrue(settings.kubernetes().http2());
        assertEquals(Duration.ofSeconds(15), settings.watch().pingInterval());
    }

    @Test
    void eachClusterChoosesItsProtocol() throws Exception {
        BridgeSettings settings = load("""
                kube2kafka.clusters = [
                  { cluster = a, kubernetes { url = "https://127.0.0.1:1", http2 = false }, resources = [pods] }
                  { cluster = b, kubernetes { url = "https://127.0.0.1:2" }, resources = [pods] }
                ]
                """);
        assertFalse(settings.clusters().get(0).kubernetes().http2());
        assertTrue(settings.clusters().get(1).kubernetes().http2());
    }

    @Test
    void badValuesAreNamedByTheirKey() {
        List<String> problems = assertThrows(ConfigurationException.class,
                () -> load("kube2kafka { " + CLUSTER + ", kubernetes.http2 = sometimes, watch.ping-interval = 0s }")).problems();
        assertEquals(List.of("kubernetes.http2=\"sometimes\": must be true or false",
                "watch.ping-interval=\"0s\": must be a positive duration like 30s or 5m"), problems);
    }

    @Test
    void theConnectorTakesBothKeys() {
        KubernetesSourceConfig config = new KubernetesSourceConfig(Map.of("kubernetes.url", "https://127.0.0.1:1",
                "kafka.bootstrap-servers", "127.0.0.1:9", "kubernetes.http2", "false", "watch.ping-interval", "5s"));
        BridgeSettings settings = config.bridgeSettings();
        assertFalse(settings.kubernetes().http2());
        assertEquals(Duration.ofSeconds(5), settings.watch().pingInterval());
    }
}
