package io.kube2kafka.cli;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.KafkaBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./kube2kafka check, run in-process as the launcher runs it, against a good and several bad setups. */
@ExtendWith(KafkaBroker.class)
class CheckCommandTest {
    private static final String TOKEN = "check-token";
    private SimulatedApiServer server;
    @TempDir
    Path dir;

    @BeforeEach
    void startCluster() {
        server = SimulatedApiServer.builder().token(TOKEN).build().start();
        server.addStandardResources();
    }

    @AfterEach
    void stopCluster() {
        server.close();
    }

    private record Result(int status, String out, String err) {
    }

    private Result check(String token, String resources, String bootstrap) throws Exception {
        String cluster = "c" + UUID.randomUUID().toString().substring(0, 8);
        Path file = dir.resolve(cluster + ".conf");
        Files.writeString(file, "kube2kafka {\n cluster = " + cluster + "\n kubernetes.url = \"" + server.url() + "\"\n kubernetes.token = " + token
                + "\n resources = " + resources + "\n kafka.bootstrap-servers = \"" + bootstrap + "\"\n kafka.checkpoint-topic = " + cluster + ".checkpoints\n}\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute("check", "--config", file.toString());
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void listsWhatStarResolvesToAndWhatTheCredentialsCannotListOrWatch(EmbeddedKafkaBroker broker) throws Exception {
        server.addResource(new io.kube2kafka.sim.SimResource("example.com", "v1", "widgets", "Widget", true));
        server.forbid("secrets");
        Result result = check(TOKEN, "[\"*\"]", broker.bootstrapServers());
        assertEquals(1, result.status(), "a resource the bridge may not read fails the check: " + result.out() + result.err());
        String resolved = result.out().lines().filter(l -> l.startsWith("OK    resources \"*\"")).findFirst().orElse("");
        assertTrue(resolved.contains("7 resource(s), excluding [events, events.events.k8s.io]: core/v1/pods, core/v1/configmaps, "
                + "core/v1/secrets, core/v1/namespaces, core/v1/services, apps/v1/deployments, example.com/v1/widgets"), result.out());
        assertTrue(result.out().contains("OK    watch example.com/v1/widgets in all namespaces"), result.out());
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("FAIL") && l.contains("list core/v1/secrets")), result.out());
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("FAIL") && l.contains("watch core/v1/secrets")), result.out());
        assertTrue(result.out().lines().noneMatch(l -> l.contains("/events")), "excluded resources are not checked: " + result.out());
    }

    @Test
    void passesAgainstAGoodSetup(EmbeddedKafkaBroker broker) throws Exception {
        Result result = check(TOKEN, "[ pods, { resource = deployments.apps, namespaces = [default, shop] } ]", broker.bootstrapServers());
        assertEquals(0, result.status(), result.out() + result.err());
        assertTrue(result.out().contains("OK    resource pods"), result.out());
        assertTrue(result.out().contains("OK    list core/v1/pods in all namespaces"), result.out());
        assertTrue(result.out().contains("OK    watch apps/v1/deployments in namespace shop"), result.out());
        assertTrue(result.out().contains("OK    kafka " + broker.bootstrapServers()), result.out());
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("OK    topic ") && l.contains(".core.pods") && l.contains("run creates it")), result.out());
        assertTrue(result.out().contains("OK    transactions"), result.out());
        assertTrue(result.out().contains("all checks passed"), result.out());
        assertTrue(result.out().lines().noneMatch(l -> l.startsWith("FAIL")), result.out());
    }

    @Test
    void namesABadToken(EmbeddedKafkaBroker broker) throws Exception {
        Result result = check("wrong-token", "[ pods ]", broker.bootstrapServers());
        assertEquals(Main.FATAL_ERROR, result.status(), result.out());
        assertTrue(result.out().contains("FAIL  api server " + server.url()), result.out());
        assertTrue(result.out().contains("HTTP 401"), result.out());
        assertTrue(result.out().contains("fix: the credentials were refused"), result.out());
    }

    @Test
    void namesAMissingResourceAsAConfigurationError(EmbeddedKafkaBroker broker) throws Exception {
        Result result = check(TOKEN, "[ pods, gizmos.example.com ]", broker.bootstrapServers());
        assertEquals(Main.CONFIGURATION_ERROR, result.status(), result.out());
        assertTrue(result.out().contains("FAIL  resource gizmos.example.com"), result.out());
        assertTrue(result.out().contains("unknown resource \"gizmos.example.com\""), result.out());
        assertTrue(result.out().contains("OK    resource pods"), "the other items are still checked: " + result.out());
    }

    @Test
    void namesAResourceWaitingForAnApiGroupThatDoesNotAnswerAndTheAPIServiceToCheck(EmbeddedKafkaBroker broker) throws Exception {
        server.addResource(new io.kube2kafka.sim.SimResource("metrics.k8s.io", "v1beta1", "nodes", "NodeMetrics", false));
        server.setGroupUnavailable("metrics.k8s.io", true);
        Result result = check(TOKEN, "[ pods, nodes.metrics.k8s.io ]", broker.bootstrapServers());
        assertEquals(1, result.status(), "not a configuration error: the name may well be served once the group answers; " + result.out());
        String waiting = result.out().lines().filter(l -> l.startsWith("FAIL  resource nodes.metrics.k8s.io")).findFirst().orElse("");
        assertTrue(waiting.contains("discovery of metrics.k8s.io/v1beta1 failed (HTTP 503"), result.out());
        assertTrue(result.out().contains("kubectl get apiservices"), "says what to check: " + result.out());
        assertTrue(result.out().contains("OK    resource pods"), "the other items are still checked: " + result.out());
    }

    @Test
    void asksTheApiServerWhetherItMayListAndWatch(EmbeddedKafkaBroker broker) throws Exception {
        server.forbid("configmaps");
        Result result = check(TOKEN, "[ pods, configmaps ]", broker.bootstrapServers());
        assertEquals(Main.FATAL_ERROR, result.status(), result.out());
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("FAIL  list core/v1/configmaps in all namespaces") && l.contains("denied")),
                result.out());
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("FAIL  watch core/v1/configmaps in all namespaces")), result.out());
        assertTrue(result.out().contains("fix: grant get, list and watch on configmaps"), result.out());
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("OK    watch core/v1/pods") && l.contains("SelfSubjectAccessReview")),
                result.out());
        assertTrue(server.requests().stream().noneMatch(r -> r.path().endsWith("/configmaps")),
                "a review answers without touching the resource: " + server.requests());
    }

    /** An API server without the authorization API (or that refuses reviews): the list and watch themselves are tried. */
    @Test
    void withoutAccessReviewsTriesAListAndAWatch(EmbeddedKafkaBroker broker) throws Exception {
        server.close();
        server = SimulatedApiServer.builder().token(TOKEN).accessReviews(false).build().start();
        server.addStandardResources();
        server.forbid("configmaps");
        Result result = check(TOKEN, "[ pods, configmaps ]", broker.bootstrapServers());
        assertEquals(Main.FATAL_ERROR, result.status(), result.out());
        assertTrue(result.out().contains("FAIL  list core/v1/configmaps in all namespaces"), result.out());
        assertTrue(result.out().contains("HTTP 403"), result.out());
        assertTrue(result.out().contains("fix: grant get, list and watch on configmaps"), result.out());
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("OK    list core/v1/pods") && l.contains("limit=1 list answered")),
                result.out());
        assertTrue(result.out().contains("OK    watch core/v1/pods"), result.out());
    }

    @Test
    void namesADeadBroker() throws Exception {
        String nobody;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            nobody = "127.0.0.1:" + socket.getLocalPort();
        } // closed: nothing listens there now
        Result result = check(TOKEN, "[ pods ]", nobody);
        assertEquals(Main.FATAL_ERROR, result.status(), result.out());
        assertTrue(result.out().contains("FAIL  kafka " + nobody), result.out());
        assertTrue(result.out().contains("cannot reach the brokers"), result.out());
        assertTrue(result.out().contains("fix: check kafka.bootstrap-servers"), result.out());
        assertTrue(result.out().contains("OK    list core/v1/pods"), "the cluster side still passes: " + result.out());
    }

    @Test
    void aBadConfigurationExitsTwo() throws Exception {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "kube2kafka { watch.page-size = 0 }\n");
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        assertEquals(Main.CONFIGURATION_ERROR, commandLine.execute("check", "--config", file.toString()));
        assertTrue(err.toString().contains("watch.page-size=0: must be at least 1"), err.toString());
    }
}
