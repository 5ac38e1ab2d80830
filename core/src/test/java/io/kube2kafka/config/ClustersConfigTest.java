package io.kube2kafka.config;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The clusters list: each entry validated with messages naming its key path; the single-cluster keys unchanged. */
class ClustersConfigTest {

    private static BridgeSettings load(String hocon) throws ConfigurationException {
        return new SettingsLoader(Map.of()).from(ConfigFactory.parseString(hocon), new ArrayList<>());
    }

    private static List<String> problems(String hocon) {
        return assertThrows(ConfigurationException.class, () -> load(hocon)).problems();
    }

    @Test
    void theSingleClusterKeysMakeOneCluster() throws Exception {
        BridgeSettings settings = load("kube2kafka { cluster = solo, kubernetes.url = \"http://127.0.0.1:1\", resources = [pods] }");
        assertEquals(1, settings.clusters().size());
        assertEquals("solo", settings.cluster());
        assertEquals("http://127.0.0.1:1", settings.kubernetes().url());
        assertEquals("kube2kafka-solo", settings.transactionalId());
    }

    @Test
    void eachEntryIsACluster() throws Exception {
        BridgeSettings settings = load("""
                kube2kafka.clusters = [
                  { cluster = a, kubernetes { url = "https://127.0.0.1:1", token = t }, resources = [pods] }
                  { cluster = b, kubernetes.context = kind-b, resources = [ { resource = "deployments.apps", namespaces = [x] } ] }
                ]
                """);
        assertEquals(List.of("a", "b"), settings.clusters().stream().map(ClusterSettings::cluster).toList());
        assertEquals("t", settings.clusters().get(0).kubernetes().token());
        assertEquals("kind-b", settings.clusters().get(1).kubernetes().context());
        assertEquals("", settings.clusters().get(1).kubernetes().url(), "unset kubernetes keys take their defaults");
        assertEquals(List.of("x"), settings.clusters().get(1).resources().get(0).namespaces());
        assertEquals("kube2kafka-a", settings.transactionalId(), "{cluster} is the first entry's name");
        assertThrows(IllegalStateException.class, settings::cluster);
    }

    @Test
    void everyMistakeInEntriesNamesItsKeyPath() {
        List<String> problems = problems("""
                kube2kafka.clusters = [
                  { cluster = a, kubernetes { url = "https://127.0.0.1:1" }, resources = [pods], region = eu }
                  { cluster = b, kubernetes { url = "ftp://x", tokn = t }, resources = [] }
                  { cluster = a, kubernetes { url = "https://127.0.0.1:2" }, resources = [ { resource = pods, namespace = x } ] }
                  { kubernetes { url = "https://127.0.0.1:3" }, resources = [pods] }
                  { cluster = "no/slash", resources = [pods] }
                  { cluster = e }
                ]
                """);
        String all = String.join("\n", problems);
        for (String expected : List.of(
                "clusters[0].region: unknown key (allowed: cluster, kubernetes, resources, exclude)",
                "clusters[1].kubernetes.url=\"ftp://x\": must start with http:// or https://",
                "clusters[1].kubernetes.tokn: unknown key (did you mean kubernetes.token?)",
                "clusters[1].resources=[]: name at least one resource to stream",
                "clusters[2].cluster=\"a\": duplicates clusters[0].cluster",
                "clusters[2].resources[0].namespace: unknown key",
                "clusters[3].cluster: missing",
                "clusters[4].cluster=\"no/slash\": must be letters, digits",
                "clusters[5].resources: missing")) {
            assertTrue(all.contains(expected), "expected \"" + expected + "\" among:\n" + all);
        }
    }

    @Test
    void aClustersListInTheUsersFileReplacesTheInstallationsSingleCluster(@TempDir Path dir) throws Exception {
        Path defaults = Files.writeString(dir.resolve("kube2kafka.conf"), "kube2kafka { cluster = \"local\", resources = [ { resource = \"pods\" } ] }");
        Path mine = Files.writeString(dir.resolve("my.conf"), "kube2kafka.clusters = [ { cluster = a, resources = [pods] }, { cluster = b, resources = [pods] } ]");
        BridgeSettings settings = new SettingsLoader(Map.of()).load(mine, defaults);
        assertEquals(List.of("a", "b"), settings.clusters().stream().map(ClusterSettings::cluster).toList());

        Path single = Files.writeString(dir.resolve("single.conf"), "kube2kafka.cluster = solo");
        assertEquals("solo", new SettingsLoader(Map.of()).load(single, defaults).cluster());
    }

    @Test
    void clustersAndTheSingleClusterKeysTogetherAreAnError() {
        List<String> problems = problems("""
                kube2kafka {
                  cluster = solo
                  kubernetes.url = "https://127.0.0.1:1"
                  clusters = [ { cluster = a, resources = [pods] } ]
                }
                """);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("clusters and cluster, kubernetes.url are both set")), problems.toString());
    }
}
