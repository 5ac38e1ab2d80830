package io.kube2kafka.config;

import com.typesafe.config.ConfigFactory;
import io.kube2kafka.sim.SimResource;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.watch.Discovery;
import io.kube2kafka.watch.WatchTarget;
import io.kube2kafka.watch.WidgetsCluster;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** resources = ["*"]: what it resolves to against a simulated API server, and how its configuration is checked. */
class WholeClusterTest {
    @AutoClose
    private final SimulatedApiServer server = WidgetsCluster.start();
    private final Discovery discovery = new Discovery(WidgetsCluster.client(server));

    private static BridgeSettings load(String hocon) throws ConfigurationException {
        return new SettingsLoader(Map.of()).from(ConfigFactory.parseString(hocon), new ArrayList<>());
    }

    private static List<String> problems(String hocon) {
        return assertThrows(ConfigurationException.class, () -> load(hocon)).problems();
    }

    private List<String> resolve(String hocon) throws Exception {
        return TargetResolver.resolve(load(hocon), discovery).stream().map(WatchTarget::key).toList();
    }

    @Test
    void everyListableAndWatchableResourceButTheDefaultExcludes() throws Exception {
        server.setVerbs("configmaps", "get", "list"); // no watch, like componentstatuses: nothing to stream
        assertEquals(List.of("local/core/pods", "local/core/secrets", "local/core/namespaces", "local/core/services",
                        "local/apps/deployments", "local/example.com/widgets"),
                resolve("kube2kafka.resources = [\"*\"]"),
                "both kinds of events are excluded by default; no subresource (pods/status) and nothing without watch");
    }

    @Test
    void eachResourceAtItsGroupsPreferredVersionElseTheFirstThatServesIt() throws Exception {
        server.addResource(new SimResource("example.com", "v2", "widgets", "Widget", true));
        server.addResource(new SimResource("example.com", "v2", "gadgets", "Gadget", true));
        List<WatchTarget> targets = TargetResolver.resolve(load("kube2kafka.resources = [\"*\"]"), discovery);
        List<String> example = targets.stream().map(t -> t.resource().qualifiedName()).filter(n -> n.startsWith("example.com")).toList();
        // The simulator's preferred version is the first registered one (v1), as ServerPreferredResources picks it.
        assertEquals(List.of("example.com/v1/widgets", "example.com/v2/gadgets"), example);
    }

    @Test
    void excludeUsesKubectlSpellingAndANameNotServedIsNoError() throws Exception {
        List<String> keys = resolve("""
                kube2kafka.resources = ["*"]
                kube2kafka.exclude = ["secrets", "deployments.v1.apps", "widgets.example.com", "gizmos.example.com"]
                """);
        assertEquals(List.of("local/core/pods", "local/core/configmaps", "local/core/namespaces", "local/core/services",
                "local/core/events", "local/events.k8s.io/events"), keys, "an exclude list of one's own replaces the default");
    }

    @Test
    void anAggregatedGroupThatIsDownIsSkippedAndTheRestResolves() throws Exception {
        server.addResource(new SimResource("metrics.k8s.io", "v1beta1", "nodes", "NodeMetrics", false));
        server.setGroupUnavailable("metrics.k8s.io", true);
        List<String> keys = resolve("kube2kafka.resources = [\"*\"]");
        assertTrue(keys.contains("local/example.com/widgets"), keys.toString());
        assertFalse(keys.stream().anyMatch(k -> k.contains("metrics.k8s.io")), keys.toString());
        assertEquals(List.of("metrics.k8s.io/v1beta1"),
                List.copyOf(WholeCluster.resolve(discovery, List.of()).served().failedGroupVersions().keySet()));
    }

    @Test
    void starStandsAloneAndTakesNoSelectors() {
        List<String> mixed = problems("kube2kafka.resources = [\"*\", { resource = pods, namespaces = [a] }]");
        assertTrue(mixed.stream().anyMatch(p -> p.startsWith("resources: \"*\" streams every resource, so it stands alone")), mixed.toString());
        List<String> narrowed = problems("kube2kafka.resources = [{ resource = \"*\", namespaces = [a] }]");
        assertTrue(narrowed.stream().anyMatch(p -> p.startsWith("resources[0]: \"*\" takes no namespaces or selectors")), narrowed.toString());
        List<String> badExclude = problems("kube2kafka { resources = [\"*\"], exclude = [\"Not A Name\"] }");
        assertTrue(badExclude.contains("exclude[0]=\"Not A Name\": not a resource name in kubectl spelling (plural[.version][.group])"),
                badExclude.toString());
        List<String> badInterval = problems("kube2kafka.watch.discovery-interval = 0s");
        assertTrue(badInterval.stream().anyMatch(p -> p.startsWith("watch.discovery-interval=\"0s\": must be a positive duration")),
                badInterval.toString());
    }

    @Test
    void eachClusterEntryHasItsOwnExclude() throws Exception {
        BridgeSettings settings = load("""
                kube2kafka.clusters = [
                  { cluster = a, kubernetes.url = "http://127.0.0.1:1", resources = ["*"], exclude = [pods] }
                  { cluster = b, kubernetes.url = "http://127.0.0.1:2", resources = ["*"] }
                ]
                """);
        assertEquals(List.of("pods"), settings.clusters().get(0).exclude());
        assertEquals(ClusterSettings.DEFAULT_EXCLUDE, settings.clusters().get(1).exclude());
        assertEquals(Duration.ofSeconds(30), settings.discoveryInterval());
    }
}
