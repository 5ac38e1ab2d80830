package io.kube2kafka.cluster;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.ops.Readiness;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.RecordedRequest;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.SeveralClusters;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.WatchStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge against a simulated API server over HTTPS, reached the ways real clusters are reached: a
 * kubeconfig with a client certificate, one with a bearer token, a token file rotated mid-watch. Each
 * test checks the records in the real broker: the topic's compacted view equals the cluster's objects.
 */
@ExtendWith(KafkaBroker.class)
class SecureClusterEndToEndTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static TestPki.Issued ca;
    private static TestPki.Issued serverCertificate;
    private static TestPki.Issued rogueServerCertificate;

    @TempDir
    Path dir;

    @BeforeAll
    static void issueCertificates() {
        ca = TestPki.ca("cluster-ca");
        serverCertificate = TestPki.server(ca, "127.0.0.1");
        rogueServerCertificate = TestPki.server(TestPki.ca("rogue-ca"), "127.0.0.1");
    }

    private static SimulatedApiServer https(TestPki.Issued certificate, boolean needClientCertificate, String token) {
        return SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(500)).token(token)
                .serverSocketFactory(TestPki.serverSocketFactory(certificate, needClientCertificate ? ca : null))
                .needClientAuth(needClientCertificate).build().start().addStandardResources();
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private Path kubeconfig(SimulatedApiServer server, Map<String, Object> user) throws Exception {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("apiVersion", "v1");
        root.put("kind", "Config");
        root.put("current-context", "sim");
        root.put("clusters", List.of(Map.of("name", "sim", "cluster",
                Map.of("server", server.url().toString(), "certificate-authority-data", base64(ca.certificatePem())))));
        root.put("users", List.of(Map.of("name", "bridge", "user", user)));
        root.put("contexts", List.of(Map.of("name", "sim", "context", Map.of("cluster", "sim", "user", "bridge"))));
        Path file = Files.createTempFile(dir, "kubeconfig", ".yaml");
        Files.writeString(file, YAML.writeValueAsString(root), StandardCharsets.UTF_8);
        return file;
    }

    private static String viaKubeconfig(Path kubeconfig) {
        return "kubernetes { url = \"\", kubeconfig = \"" + kubeconfig + "\" }\n resources = [pods]\n"
                + " watch.authorization-backoff = 200ms";
    }

    /**
     * A single cluster's Bridge.start waits for discovery as long as it takes; a test must fail instead
     * when the connection is refused (a wrong certificate, a rejected token).
     */
    private static Bridge startWatching(BridgeHarness harness) throws Exception {
        ExecutorService starter = Executors.newSingleThreadExecutor();
        Future<Bridge> started = starter.submit(() -> harness.start());
        try {
            Bridge bridge = started.get(30, TimeUnit.SECONDS);
            BridgeHarness.awaitWatching(bridge);
            return bridge;
        } catch (TimeoutException e) {
            started.cancel(true);
            throw new AssertionError("the bridge did not get past discovery within 30 s (see the log for why)");
        } finally {
            starter.shutdown();
        }
    }

    /** Starts the bridge, checks the first list and then a churn of changes land in Kafka as the cluster has them. */
    private static void streamsTheClusterIntoKafka(BridgeHarness harness, SimulatedApiServer server) throws Exception {
        ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 7);
        churn.populate(10);
        try (Bridge bridge = startWatching(harness)) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            churn.churn(25);
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            assertTrue(harness.read("core", "pods").events().size() >= 10 + 25, "the first list and every change are records");
            assertTrue(bridge.stopped().getNow(null) == null);
        }
    }

    @ParameterizedTest(name = "{0} key")
    @ValueSource(strings = {"rsa-pkcs1", "ec-pkcs8"})
    void clientCertificateFromAKubeconfig(String kind, EmbeddedKafkaBroker broker) throws Exception {
        TestPki.Issued client = TestPki.client(ca, "kube2kafka-" + kind, kind.startsWith("ec") ? TestPki.ec() : TestPki.rsa());
        String key = kind.endsWith("pkcs8") ? client.pkcs8KeyPem() : client.traditionalKeyPem();
        try (SimulatedApiServer server = https(serverCertificate, true, null)) {
            Path kubeconfig = kubeconfig(server, Map.of("client-certificate-data", base64(client.certificatePem()),
                    "client-key-data", base64(key)));
            streamsTheClusterIntoKafka(new BridgeHarness(broker, server, viaKubeconfig(kubeconfig)), server);
        }
    }

    @Test
    void aClientCertificateRenewedOnDiskIsPresentedWithoutARestart(EmbeddedKafkaBroker broker) throws Exception {
        TestPki.Issued first = TestPki.client(ca, "kube2kafka-first", TestPki.rsa());
        TestPki.Issued second = TestPki.client(ca, "kube2kafka-second", TestPki.ec());
        Path certificate = dir.resolve("client.crt");
        Path key = dir.resolve("client.key");
        Files.writeString(certificate, first.certificatePem());
        Files.writeString(key, first.pkcs8KeyPem());
        try (SimulatedApiServer server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(500))
                .serverSocketFactory(TestPki.requestingClientCertificates(serverCertificate)).build().start()
                .addStandardResources()) {
            server.acceptOnlyClientCertificates(first.certificate());
            Path kubeconfig = kubeconfig(server, Map.of("client-certificate", certificate.toString(),
                    "client-key", key.toString()));
            BridgeHarness harness = new BridgeHarness(broker, server, viaKubeconfig(kubeconfig));
            ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 13);
            churn.populate(10);
            try (Bridge bridge = startWatching(harness)) {
                harness.awaitTopicMatchesCluster("pods", "core", "pods");
                WatchStatus watch = bridge.watchStatuses().get(0);
                long opened = watch.watchesOpened();

                // A renewal as cert-manager writes it, key first: for a moment the files do not make a pair.
                Files.writeString(key, second.pkcs8KeyPem());
                Files.writeString(certificate, second.certificatePem());
                // The old certificate is revoked: every request presenting it gets 401 from now on.
                server.acceptOnlyClientCertificates(second.certificate());
                // The open watch ends (as a watch timeout ends it), so the bridge must send new requests.
                server.dropWatchConnectionsMidLine();
                churn.churn(25);
                Await.until(() -> watch.watchesOpened() > opened && watch.state() == WatchStatus.State.WATCHING,
                        Duration.ofSeconds(60), "the watch reopened with the renewed certificate: " + watch.state()
                                + ", " + watch.lastError());
                churn.churn(25);
                harness.awaitTopicMatchesCluster("pods", "core", "pods");
                assertTrue(bridge.stopped().getNow(null) == null, "no restart");
            }
        }
    }

    @Test
    void bearerTokenFromAKubeconfigWithCertificateAuthorityData(EmbeddedKafkaBroker broker) throws Exception {
        try (SimulatedApiServer server = https(serverCertificate, false, "s3cret")) {
            Path kubeconfig = kubeconfig(server, Map.of("token", "s3cret"));
            streamsTheClusterIntoKafka(new BridgeHarness(broker, server, viaKubeconfig(kubeconfig)), server);
            assertTrue(server.requests().stream().filter(RecordedRequest::isWatch)
                    .allMatch(r -> "Bearer s3cret".equals(r.headers().get("authorization"))), "every watch carried the token");
        }
    }

    @Test
    void aTokenFileRotatedMidWatchKeepsRecordsFlowing(EmbeddedKafkaBroker broker) throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "first-token\n");
        Path caFile = dir.resolve("ca.crt");
        Files.writeString(caFile, ca.certificatePem());
        try (SimulatedApiServer server = https(serverCertificate, false, "first-token")) {
            BridgeHarness harness = new BridgeHarness(broker, server, "kubernetes { token-file = \"" + tokenFile + "\", ca-file = \""
                    + caFile + "\" }\n resources = [pods]\n watch.authorization-backoff = 200ms");
            ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 11);
            churn.populate(10);
            try (Bridge bridge = startWatching(harness)) {
                harness.awaitTopicMatchesCluster("pods", "core", "pods");
                WatchStatus watch = bridge.watchStatuses().get(0);
                long opened = watch.watchesOpened();

                // The kubelet rewrites the projected token; the API server accepts only the new one from then on.
                Files.writeString(tokenFile, "second-token\n");
                server.setToken("second-token");
                server.clearRequests();
                // Cut the open watch mid-event, so the bridge must reconnect with the token it reads now.
                server.dropWatchConnectionsMidLine();
                churn.churn(25);
                Await.until(() -> watch.watchesOpened() > opened && watch.state() == WatchStatus.State.WATCHING,
                        Duration.ofSeconds(60), "the watch reopened after the rotation: " + watch.state() + ", " + watch.lastError());
                churn.churn(25);
                harness.awaitTopicMatchesCluster("pods", "core", "pods");
                assertTrue(server.requests().stream().anyMatch(r -> r.isWatch()
                        && "Bearer second-token".equals(r.headers().get("authorization"))), "a watch was opened with the rotated token");
            }
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedNamingTheServerWhileATrustedClusterStreams(EmbeddedKafkaBroker broker) throws Exception {
        Path caFile = dir.resolve("ca.crt");
        Files.writeString(caFile, ca.certificatePem());
        try (SimulatedApiServer trusted = https(serverCertificate, false, null);
             SimulatedApiServer rogue = https(rogueServerCertificate, false, null)) {
            BridgeHarness good = new BridgeHarness(broker, trusted, "");
            BridgeHarness bad = new BridgeHarness(broker, rogue, "");
            new ClusterChurn(trusted, List.of("pods"), 5).populate(6);
            new ClusterChurn(rogue, List.of("pods"), 6).populate(6);
            String caKey = "ca-file = \"" + caFile + "\"";
            BridgeSettings settings = SeveralClusters.settings(broker, good,
                    SeveralClusters.entry(good, trusted.url().toString(), "[pods]", caKey),
                    SeveralClusters.entry(bad, rogue.url().toString(), "[pods]", caKey));
            try (Bridge bridge = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Bridge.start(settings, Pauser.REAL),
                    "start returns while the untrusted cluster is refused")) {
                SeveralClusters.awaitWatching(bridge, good.cluster());
                good.awaitTopicMatchesCluster("pods", "core", "pods");

                String readiness = Readiness.of(bridge.watchStatuses(), bridge.waitingClusters(), bridge.publisher().stats(), null).describe();
                String expected = "TLS to " + rogue.url() + " failed: the server's certificate";
                assertTrue(readiness.contains("cluster " + bad.cluster() + ": waiting for discovery") && readiness.contains(expected)
                        && readiness.contains("not signed by a trusted CA"), readiness);
                assertTrue(bad.read("core", "pods").records().isEmpty(), "nothing of the untrusted server reached Kafka");
                assertTrue(rogue.requests().isEmpty(), "no request was sent to the untrusted server");
            }
        }
    }
}
