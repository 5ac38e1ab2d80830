package io.kube2kafka.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert rules and the dashboard that ship in deploy/monitoring/ query metrics that exist: every
 * {@code kube2kafka_*} name (and the JVM/process names) they use is on a live {@code /metrics} scrape,
 * and every label matcher they use ({@code cause="expired"}) matches a series there. A renamed metric
 * or label would otherwise silence an alert without a word.
 */
@ExtendWith(KafkaBroker.class)
class MonitoringAssetsTest {
    private static final Path MONITORING = Path.of("..", "deploy", "monitoring");
    /** A metric name: the prefixes of ours and of the JVM instrumentation the rules use. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:kube2kafka|jvm|process)_[a-zA-Z0-9_]+)(\\{[^}]*})?");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"([^\"]*)\"");

    @Test
    void everyMetricTheRulesAndTheDashboardUseIsScraped(EmbeddedKafkaBroker broker) throws Exception {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.putAll(ruleExpressions());
        queries.putAll(dashboardQueries());
        assertTrue(queries.keySet().stream().anyMatch(k -> k.startsWith("alert ")), "the rules file holds alerts: " + queries.keySet());

        String metrics = liveScrape(broker);
        List<String> problems = new ArrayList<>();
        TreeSet<String> used = new TreeSet<>();
        queries.forEach((where, query) -> {
            Matcher m = METRIC.matcher(query);
            while (m.find()) {
                String name = m.group(1);
                used.add(name);
                List<String> samples = samples(metrics, name);
                if (samples.isEmpty()) {
                    problems.add(where + ": " + name + " is not on /metrics");
                    continue;
                }
                if (m.group(2) != null) {
                    Matcher label = MATCHER.matcher(m.group(2));
                    while (label.find()) {
                        String wanted = label.group(1) + "=\"" + label.group(2) + "\"";
                        if (samples.stream().noneMatch(s -> s.contains(wanted))) {
                            problems.add(where + ": no series of " + name + " has " + wanted);
                        }
                    }
                }
            }
        });
        assertTrue(used.size() >= 10, "the rules and the dashboard use our metrics: " + used);
        assertEquals(List.of(), problems, "queries naming metrics or labels /metrics does not have");
    }

    /** alert name to expression, from the PrometheusRule's spec.groups. */
    private static Map<String, String> ruleExpressions() throws IOException {
        JsonNode rule = new ObjectMapper(new YAMLFactory()).readTree(MONITORING.resolve("alert-rules.yaml").toFile());
        assertEquals("PrometheusRule", rule.path("kind").asText());
        Map<String, String> expressions = new LinkedHashMap<>();
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode r : group.path("rules")) {
                String name = r.has("alert") ? "alert " + r.path("alert").asText() : "record " + r.path("record").asText();
                String expr = r.path("expr").asText();
                assertFalse(expr.isBlank(), name + " has an expression");
                assertBalanced(name, expr);
                expressions.put(name, expr);
            }
        }
        return expressions;
    }

    /** panel title (and target) to query, from the dashboard JSON. */
    private static Map<String, String> dashboardQueries() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(MONITORING.resolve("dashboard.json")));
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String where = "panel \"" + panel.path("title").asText() + "\" " + target.path("refId").asText();
                String expr = target.path("expr").asText();
                assertFalse(expr.isBlank(), where + " has a query");
                assertBalanced(where, expr);
                queries.put(where, expr);
            }
        }
        assertFalse(queries.isEmpty(), "the dashboard has queries");
        return queries;
    }

    /** Brackets and quotes pair up: a cheap guard against a query cut while editing. */
    private static void assertBalanced(String where, String expr) {
        int depth = 0;
        boolean quoted = false;
        for (char c : expr.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '(' || c == '{' || c == '[')) {
                depth++;
            } else if (!quoted && (c == ')' || c == '}' || c == ']')) {
                depth--;
                assertTrue(depth >= 0, where + ": unbalanced brackets in " + expr);
            }
        }
        assertEquals(0, depth, where + ": unbalanced brackets in " + expr);
        assertFalse(quoted, where + ": unbalanced quotes in " + expr);
    }

    /** A scrape of a bridge that has streamed and committed. */
    private static String liveScrape(EmbeddedKafkaBroker broker) throws Exception {
        try (SimulatedApiServer server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(300)).build().start()) {
            server.addStandardResources();
            ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 3);
            churn.populate(3);
            BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]");
            try (Bridge bridge = harness.startWatching(); OpsServer ops = OpsServer.start("127.0.0.1", 0, bridge)) {
                churn.churn(5);
                harness.awaitTopicMatchesCluster("pods", "core", "pods");
                Await.until(() -> Scrape.sample(Scrape.get(ops.port(), "/metrics").body(), "kube2kafka_last_commit_timestamp_seconds", Map.of()) > 0,
                        Duration.ofSeconds(30), "a commit is recorded");
                return Scrape.get(ops.port(), "/metrics").body();
            }
        }
    }

    private static List<String> samples(String exposition, String name) {
        List<String> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (!line.startsWith("#") && (line.startsWith(name + "{") || line.startsWith(name + " "))) {
                samples.add(line);
            }
        }
        return samples;
    }
}
