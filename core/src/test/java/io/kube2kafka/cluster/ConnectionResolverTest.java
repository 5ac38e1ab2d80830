package io.kube2kafka.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kube2kafka.testing.Await;
import io.kube2kafka.watch.ApiClient;
import io.kube2kafka.watch.ApiException;
import io.kube2kafka.watch.ClusterConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way of reaching an API server, each proven by a real HTTPS request to a server on 127.0.0.1 that
 * says whom it authenticated.
 */
class ConnectionResolverTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static TestPki.Issued ca;
    private static TestPki.Issued rogueCa;
    private static TestPki.Issued ipCertificate;
    private static TestPki.Issued namedCertificate;
    private static TestPki.Issued rogueCertificate;

    @TempDir
    Path dir;
    private final List<TestApiServer> servers = new ArrayList<>();

    @BeforeAll
    static void issueCertificates() {
        ca = TestPki.ca("test-ca");
        rogueCa = TestPki.ca("rogue-ca");
        ipCertificate = TestPki.server(ca, "127.0.0.1");
        namedCertificate = TestPki.server(ca, "kubernetes.test");
        rogueCertificate = TestPki.server(rogueCa, "127.0.0.1");
    }

    @AfterEach
    void stopServers() {
        servers.forEach(TestApiServer::close);
    }

    private TestApiServer server(TestPki.Issued certificate) throws Exception {
        TestApiServer server = new TestApiServer(certificate, ca);
        servers.add(server);
        return server;
    }

    /** A resolver that sees only this test's environment and home directory, never the real ones. */
    private ConnectionResolver resolver(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return new ConnectionResolver(env, dir.resolve("home"), dir.resolve("no-service-account"), Clock.systemUTC());
    }

    private static ConnectionSettings kubeconfigSettings(Path kubeconfig, String context) {
        return new ConnectionSettings(kubeconfig.toString(), context, "", "", "", "", false);
    }

    private static String whoAmI(ClusterConnection connection) throws IOException {
        JsonNode api = new ApiClient(connection, Duration.ofSeconds(30)).getJson("/api");
        return api.path("user").asText();
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A kubeconfig with one context "test" (current) joining one cluster and one user. */
    private Path kubeconfig(String name, Map<String, Object> cluster, Map<String, Object> user) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("apiVersion", "v1");
        root.put("kind", "Config");
        root.put("current-context", "test");
        root.put("clusters", List.of(Map.of("name", "test-cluster", "cluster", cluster)));
        root.put("users", List.of(Map.of("name", "test-user", "user", user)));
        root.put("contexts", List.of(Map.of("name", "test", "context",
                Map.of("cluster", "test-cluster", "user", "test-user", "namespace", "team-a"))));
        return write(name, YAML.writeValueAsString(root));
    }

    @Test
    void bearerTokenWithRelativeCertificateAuthority() throws Exception {
        TestApiServer server = server(ipCertificate);
        server.acceptedTokens.add("t1");
        write("kube/ca.crt", ca.certificatePem());
        Path config = kubeconfig("kube/config", Map.of("server", server.url(), "certificate-authority", "ca.crt"),
                Map.of("token", "t1"));

        ResolvedConnection resolved = resolver(Map.of()).resolveWithDetails(kubeconfigSettings(config, ""));

        assertEquals("token:t1", whoAmI(resolved.connection()));
        assertEquals("team-a", resolved.namespace());
    }

    @Test
    void tokenFileIsReadAgainAfterRotation() throws Exception {
        TestApiServer server = server(ipCertificate);
        server.acceptedTokens.addAll(List.of("before", "after"));
        Path tokenFile = write("kube/token", "before\n");
        Path config = kubeconfig("kube/config", Map.of("server", server.url(),
                "certificate-authority-data", base64(ca.certificatePem())), Map.of("tokenFile", "token"));
        ApiClient client = new ApiClient(resolver(Map.of()).resolve(kubeconfigSettings(config, "")),
                Duration.ofSeconds(30));

        assertEquals("token:before", client.getJson("/api").path("user").asText());
        Files.writeString(tokenFile, "after\n");
        assertEquals("token:after", client.getJson("/api").path("user").asText());
    }

    @ParameterizedTest(name = "{0} key, inline data: {1}")
    @CsvSource({"rsa-pkcs1, true", "rsa-pkcs8, false", "ec-sec1, false", "ec-pkcs8, true"})
    void clientCertificate(String kind, boolean inline) throws Exception {
        TestApiServer server = server(ipCertificate);
        TestPki.Issued client = TestPki.client(ca, "user-" + kind, kind.startsWith("ec") ? TestPki.ec() : TestPki.rsa());
        String keyPem = kind.endsWith("pkcs8") ? client.pkcs8KeyPem() : client.traditionalKeyPem();
        String expectedHeader = switch (kind) {
            case "rsa-pkcs1" -> "BEGIN RSA PRIVATE KEY";
            case "ec-sec1" -> "BEGIN EC PRIVATE KEY";
            default -> "BEGIN PRIVATE KEY";
        };
        assertTrue(keyPem.contains(expectedHeader), "the test must write the key form it names: " + keyPem);
        Map<String, Object> user = new LinkedHashMap<>();
        if (inline) {
            user.put("client-certificate-data", base64(client.certificatePem()));
            user.put("client-key-data", base64(keyPem));
        } else {
            write("kube/certs/client.crt", client.certificatePem());
            write("kube/certs/client.key", keyPem);
            user.put("client-certificate", "certs/client.crt");
            user.put("client-key", "certs/client.key");
        }
        Path config = kubeconfig("kube/config", Map.of("server", server.url(),
                "certificate-authority-data", base64(ca.certificatePem())), user);

        assertEquals("cert:CN=user-" + kind, whoAmI(resolver(Map.of()).resolve(kubeconfigSettings(config, ""))));
    }

    /** A plugin that counts its runs in the file given as its first argument and hands out token-N. */
    private Path execPlugin() throws IOException {
        Path script = write("kube/bin/credential-plugin", """
                #!/bin/sh
                echo run >> "$1"
                n=$(( $(wc -l < "$1") ))
                printf '%s' "$KUBERNETES_EXEC_INFO" > "$1.info"
                cat <<JSON
                {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",
                 "status":{"token":"$TOKEN_PREFIX-$n","expirationTimestamp":"$EXPIRY"}}
                JSON
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private Path execKubeconfig(TestApiServer server, Path runs, Instant expiry) throws IOException {
        execPlugin();
        Map<String, Object> exec = new LinkedHashMap<>();
        exec.put("apiVersion", "client.authentication.k8s.io/v1");
        exec.put("command", "./bin/credential-plugin"); // relative to the kubeconfig's directory, as in kubectl
        exec.put("args", List.of(runs.toString()));
        exec.put("env", List.of(Map.of("name", "TOKEN_PREFIX", "value", "exec"),
                Map.of("name", "EXPIRY", "value", expiry.toString())));
        exec.put("provideClusterInfo", true);
        exec.put("interactiveMode", "Never");
        return kubeconfig("kube/config", Map.of("server", server.url(),
                "certificate-authority-data", base64(ca.certificatePem())), Map.of("exec", exec));
    }

    private static int runs(Path runs) throws IOException {
        return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
    }

    @Test
    void execPluginCredentialIsCachedUntilItExpires() throws Exception {
        TestApiServer server = server(ipCertificate);
        server.acceptedTokens.addAll(List.of("exec-1", "exec-2"));
        Path runs = dir.resolve("runs");
        Path config = execKubeconfig(server, runs, Instant.now().plus(Duration.ofHours(1)));
        ApiClient client = new ApiClient(resolver(Map.of()).resolve(kubeconfigSettings(config, "")),
                Duration.ofSeconds(30));

        assertEquals("token:exec-1", client.getJson("/api").path("user").asText());
        assertEquals("token:exec-1", client.getJson("/api").path("user").asText());
        assertEquals(1, runs(runs), "a credential that has not expired is reused");
        JsonNode info = new ObjectMapper().readTree(Files.readString(dir.resolve("runs.info")));
        assertEquals(server.url(), info.path("spec").path("cluster").path("server").asText(),
                "provideClusterInfo passes the cluster in KUBERNETES_EXEC_INFO: " + info);
        assertEquals("client.authentication.k8s.io/v1", info.path("apiVersion").asText());
    }

    @Test
    void execPluginRunsAgainWhenTheCredentialHasExpired() throws Exception {
        TestApiServer server = server(ipCertificate);
        server.acceptedTokens.addAll(List.of("exec-1", "exec-2"));
        Path runs = dir.resolve("runs");
        Path config = execKubeconfig(server, runs, Instant.now().minusSeconds(1));
        ApiClient client = new ApiClient(resolver(Map.of()).resolve(kubeconfigSettings(config, "")),
                Duration.ofSeconds(30));

        assertEquals("token:exec-1", client.getJson("/api").path("user").asText());
        assertEquals("token:exec-2", client.getJson("/api").path("user").asText());
        assertEquals(2, runs(runs));
    }

    @Test
    void execPluginRunsAgainAfterA401() throws Exception {
        TestApiServer server = server(ipCertificate);
        server.acceptedTokens.add("exec-2"); // the first credential is refused, as if revoked
        Path runs = dir.resolve("runs");
        Path config = execKubeconfig(server, runs, Instant.now().plus(Duration.ofHours(1)));
        ApiClient client = new ApiClient(resolver(Map.of()).resolve(kubeconfigSettings(config, "")),
                Duration.ofSeconds(30));

        ApiException refused = assertThrows(ApiException.class, () -> client.getJson("/api"));
        assertTrue(refused.getMessage().contains("401") || refused.getMessage().contains("Unauthorized"),
                refused.getMessage());
        assertEquals("token:exec-2", client.getJson("/api").path("user").asText());
        assertEquals(2, runs(runs));
    }

    @Test
    void execPluginV1beta1ClientCertificate() throws Exception {
        TestApiServer server = server(ipCertificate);
        TestPki.Issued client = TestPki.client(ca, "exec-cert", TestPki.ec());
        Map<String, Object> status = Map.of("clientCertificateData", client.certificatePem(),
                "clientKeyData", client.pkcs8KeyPem());
        Path credential = write("kube/credential.json", new ObjectMapper().writeValueAsString(Map.of(
                "apiVersion", "client.authentication.k8s.io/v1beta1", "kind", "ExecCredential", "status", status)));
        Path script = write("kube/print-credential", "#!/bin/sh\ncat \"$1\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path config = kubeconfig("kube/config", Map.of("server", server.url(),
                "certificate-authority-data", base64(ca.certificatePem())), Map.of("exec", Map.of(
                "apiVersion", "client.authentication.k8s.io/v1beta1", "command", script.toString(),
                "args", List.of(credential.toString()))));

        assertEquals("cert:CN=exec-cert", whoAmI(resolver(Map.of()).resolve(kubeconfigSettings(config, ""))));
    }

    @Test
    void execPluginFailureNamesTheUserAndShowsItsError() throws Exception {
        Path script = write("kube/failing-plugin", "#!/bin/sh\necho 'login expired, run sso login' >&2\nexit 3\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        TestApiServer server = server(ipCertificate);
        Path config = kubeconfig("kube/config", Map.of("server", server.url(),
                "certificate-authority-data", base64(ca.certificatePem())), Map.of("exec", Map.of(
                "apiVersion", "client.authentication.k8s.io/v1", "command", script.toString())));
        ClusterConnection connection = resolver(Map.of()).resolve(kubeconfigSettings(config, ""));

        Exception error = assertThrows(Exception.class, () -> whoAmI(connection));

        assertTrue(error.getMessage().contains("kubeconfig " + config + ": user \"test-user\": exec plugin "
                + script + " exited with status 3: login expired, run sso login"), error.getMessage());
    }

    /**
     * A plugin that starts a child holding its stdout open, records both pids next to {@code $1}, then
     * waits for ever: what a plugin stuck on its identity service looks like.
     */
    private Path hangingPlugin() throws IOException {
        Path script = write("kube/hanging-plugin", """
                #!/bin/bash
                sleep 600 &
                echo $! > "$1.child"
                echo $$ > "$1.pid"
                wait
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private ClusterConnection hangingPluginConnection(Path script, Path marker, Duration timeout) throws Exception {
        TestApiServer server = server(ipCertificate);
        Path config = kubeconfig("kube/config", Map.of("server", server.url(),
                "certificate-authority-data", base64(ca.certificatePem())), Map.of("exec", Map.of(
                "apiVersion", "client.authentication.k8s.io/v1", "command", script.toString(),
                "args", List.of(marker.toString()))));
        return resolver(Map.of()).resolve(new ConnectionSettings(config.toString(), "", "", "", "", "", false, timeout));
    }

    private static long pid(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).trim());
    }

    private static void awaitDead(long pid, String what) {
        Await.until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), Duration.ofSeconds(30),
                what + " (pid " + pid + ") was killed");
    }

    @Test
    void aHungExecPluginIsKilledWithItsChildAtTheTimeoutNamingTheCommand() throws Exception {
        Path script = hangingPlugin();
        Path marker = dir.resolve("hung");
        ClusterConnection connection = hangingPluginConnection(script, marker, Duration.ofSeconds(1));

        // The guard only turns a hang into a failure; the plugin's own deadline is 1 s.
        IOException error = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(IOException.class, () -> whoAmI(connection)));

        assertTrue(error.getMessage().contains("user \"test-user\": exec plugin " + script
                + " did not finish within 1000 ms and was killed (kubernetes.exec-timeout=1000ms)"), error.getMessage());
        awaitDead(pid(Path.of(marker + ".pid")), "the plugin");
        awaitDead(pid(Path.of(marker + ".child")), "the child holding the plugin's stdout");
    }

    @Test
    void callersWaitingForAHungPluginCanBeInterrupted() throws Exception {
        Path script = hangingPlugin();
        Path marker = dir.resolve("hung");
        ApiClient client = new ApiClient(hangingPluginConnection(script, marker, Duration.ofMinutes(10)),
                Duration.ofSeconds(30));
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runnable request = () -> {
            try {
                client.getJson("/api");
            } catch (Throwable e) {
                failures.add(e);
            }
        };
        Thread running = new Thread(request, "runs the plugin");
        running.start();
        Await.until(() -> Files.exists(Path.of(marker + ".pid")), Duration.ofSeconds(30), "the plugin started");
        Thread waiting = new Thread(request, "waits for the same run");
        waiting.start();
        Await.until(() -> waiting.getState() == Thread.State.TIMED_WAITING, Duration.ofSeconds(30),
                "the second caller waits for the run under way instead of starting another: " + waiting.getState());

        waiting.interrupt();
        waiting.join(30_000);
        assertTrue(!waiting.isAlive(), "a caller waiting for the plugin ends when interrupted (shutdown)");
        running.interrupt();
        running.join(30_000);
        assertTrue(!running.isAlive(), "the caller running the plugin ends when interrupted");

        assertEquals(2, failures.size(), failures.toString());
        assertTrue(failures.stream().allMatch(e -> e instanceof java.io.InterruptedIOException), failures.toString());
        awaitDead(pid(Path.of(marker + ".pid")), "the plugin of an interrupted caller");
        assertEquals(1, Files.readAllLines(Path.of(marker + ".pid")).size(), "one run for both callers");
    }

    @Test
    void clientCertificateFilesAreReadAgainAndARenewalHalfWrittenKeepsThePreviousPair() throws Exception {
        TestApiServer server = server(ipCertificate);
        TestPki.Issued first = TestPki.client(ca, "first", TestPki.rsa());
        TestPki.Issued second = TestPki.client(ca, "second", TestPki.ec());
        Path certificate = write("kube/client.crt", first.certificatePem());
        Path key = write("kube/client.key", first.pkcs8KeyPem());
        Path config = kubeconfig("kube/config", Map.of("server", server.url(),
                "certificate-authority-data", base64(ca.certificatePem())),
                Map.of("client-certificate", "client.crt", "client-key", "client.key"));
        // One client throughout: its pooled connection presented the first certificate.
        ApiClient client = new ApiClient(resolver(Map.of()).resolve(kubeconfigSettings(config, "")), Duration.ofSeconds(30));
        assertEquals("cert:CN=first", client.getJson("/api").path("user").asText());

        String secondPem = second.certificatePem();
        Files.writeString(certificate, secondPem.substring(0, secondPem.length() / 2));
        assertEquals("cert:CN=first", client.getJson("/api").path("user").asText(), "a half-written certificate is not used");
        Files.writeString(certificate, secondPem);
        assertEquals("cert:CN=first", client.getJson("/api").path("user").asText(),
                "a new certificate with the old key (the key not written yet) is not used");

        Files.writeString(key, second.pkcs8KeyPem());
        assertEquals("cert:CN=second", client.getJson("/api").path("user").asText(),
                "the renewed pair is presented, though a pooled connection had presented the first");
    }

    @Test
    void anExecPluginThatCannotStartIsAConfigurationErrorNamingIt() throws Exception {
        TestApiServer server = server(ipCertificate);
        Path missing = dir.resolve("kube/no-such-plugin");
        Path config = kubeconfig("kube/config", Map.of("server", server.url(),
                "certificate-authority-data", base64(ca.certificatePem())), Map.of("exec", Map.of(
                "apiVersion", "client.authentication.k8s.io/v1", "command", missing.toString())));
        ClusterConnection connection = resolver(Map.of()).resolve(kubeconfigSettings(config, ""));

        ClusterConfigException error = assertThrows(ClusterConfigException.class, () -> whoAmI(connection));

        assertTrue(error.getMessage().startsWith("kubeconfig " + config + ": user \"test-user\": exec plugin " + missing
                + ": cannot start: Cannot run program"), error.getMessage());
    }

    @Test
    void untrustedCertificateAuthorityIsRefusedWithAClearMessage() throws Exception {
        TestApiServer server = server(rogueCertificate);
        server.acceptedTokens.add("t1");
        Path config = kubeconfig("kube/config", Map.of("server", server.url(),
                "certificate-authority-data", base64(ca.certificatePem())), Map.of("token", "t1"));
        ClusterConnection connection = resolver(Map.of()).resolve(kubeconfigSettings(config, ""));

        IOException refused = assertThrows(IOException.class, () -> whoAmI(connection));

        String expected = "TLS to " + server.url() + " failed: the server's certificate";
        assertTrue(refused.getMessage().startsWith(expected) && refused.getMessage().contains(
                "is not signed by a trusted CA (kubernetes.ca-file / certificate-authority"), refused.getMessage());
        assertEquals(refused.getMessage(), TlsFailure.describe(server.url(), refused).orElseThrow());
        assertTrue(server.acceptedTokens.contains("t1"));
    }

    @Test
    void certificateForAnotherNameIsRefused() throws Exception {
        TestApiServer server = server(namedCertificate);
        server.acceptedTokens.add("t1");
        Path config = kubeconfig("kube/config", Map.of("server", server.url(),
                "certificate-authority-data", base64(ca.certificatePem())), Map.of("token", "t1"));
        ClusterConnection connection = resolver(Map.of()).resolve(kubeconfigSettings(config, ""));

        IOException refused = assertThrows(IOException.class, () -> whoAmI(connection));

        assertTrue(refused.getMessage().startsWith("TLS to " + server.url() + " failed: the server's certificate is "
                + "for kubernetes.test, not 127.0.0.1"), refused.getMessage());
    }

    @Test
    void tlsServerNameIsVerifiedAndSentAsSni() throws Exception {
        TestApiServer server = server(namedCertificate);
        server.acceptedTokens.add("t1");
        Path config = kubeconfig("kube/config", Map.of("server", server.url(), "tls-server-name", "kubernetes.test",
                "certificate-authority-data", base64(ca.certificatePem())), Map.of("token", "t1"));

        assertEquals("token:t1", whoAmI(resolver(Map.of()).resolve(kubeconfigSettings(config, ""))));
        assertEquals(List.of("kubernetes.test"), server.serverNamesSeen);
    }

    @Test
    void insecureSkipTlsVerifyAcceptsAnyCertificate() throws Exception {
        TestApiServer server = server(rogueCertificate);
        server.acceptedTokens.add("t1");
        Path config = kubeconfig("kube/config", Map.of("server", server.url(), "insecure-skip-tls-verify", true),
                Map.of("token", "t1"));

        assertEquals("token:t1", whoAmI(resolver(Map.of()).resolve(kubeconfigSettings(config, ""))));
    }

    @Test
    void kubeconfigListIsMergedFirstFileWins() throws Exception {
        TestApiServer server = server(ipCertificate);
        server.acceptedTokens.addAll(List.of("first", "second"));
        // The first file sets current-context and user "u"; its context uses a cluster only the second file
        // defines, whose relative CA path is relative to the second file's directory.
        Path first = write("one/config", YAML.writeValueAsString(Map.of(
                "current-context", "ctx-a",
                "contexts", List.of(Map.of("name", "ctx-a", "context", Map.of("cluster", "c2", "user", "u"))),
                "users", List.of(Map.of("name", "u", "user", Map.of("token", "first"))))));
        write("two/ca/ca.crt", ca.certificatePem());
        Path second = write("two/config", YAML.writeValueAsString(Map.of(
                "current-context", "ctx-b",
                "contexts", List.of(Map.of("name", "ctx-a", "context", Map.of("cluster", "nowhere", "user", "u")),
                        Map.of("name", "ctx-b", "context", Map.of("cluster", "nowhere", "user", "u"))),
                "clusters", List.of(Map.of("name", "c2", "cluster",
                        Map.of("server", server.url(), "certificate-authority", "ca/ca.crt"))),
                "users", List.of(Map.of("name", "u", "user", Map.of("token", "second"))))));
        Map<String, String> env = Map.of("KUBECONFIG", first + ":" + dir.resolve("missing") + "::" + second);

        ResolvedConnection resolved = resolver(env).resolveWithDetails(
                new ConnectionSettings("", "", "", "", "", "", false));

        assertEquals("token:first", whoAmI(resolved.connection()));
        assertTrue(resolved.source().contains("context \"ctx-a\""), resolved.source());
    }

    @Test
    void homeKubeconfigIsTheDefault() throws Exception {
        TestApiServer server = server(ipCertificate);
        server.acceptedTokens.add("home");
        kubeconfig("home/.kube/config", Map.of("server", server.url(),
                "certificate-authority-data", base64(ca.certificatePem())), Map.of("token", "home"));

        assertEquals("token:home", whoAmI(resolver(Map.of()).resolve(
                new ConnectionSettings("", "", "", "", "", "", false))));
    }

    @Test
    void inClusterServiceAccountWithRotatingToken() throws Exception {
        TestApiServer server = server(ipCertificate);
        server.acceptedTokens.addAll(List.of("sa-1", "sa-2"));
        Path serviceAccount = dir.resolve("serviceaccount");
        write("serviceaccount/token", "sa-1");
        write("serviceaccount/ca.crt", ca.certificatePem());
        write("serviceaccount/namespace", "kube-bridge\n");
        Map<String, String> env = Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1",
                "KUBERNETES_SERVICE_PORT", server.url().substring(server.url().lastIndexOf(':') + 1));
        ConnectionResolver resolver = new ConnectionResolver(env, dir.resolve("home"), serviceAccount,
                Clock.systemUTC());

        ResolvedConnection resolved = resolver.resolveWithDetails(new ConnectionSettings("", "", "", "", "", "", false));
        ApiClient client = new ApiClient(resolved.connection(), Duration.ofSeconds(30));

        assertEquals(server.url(), resolved.connection().url());
        assertEquals("kube-bridge", resolved.namespace());
        assertEquals("token:sa-1", client.getJson("/api").path("user").asText());
        Files.writeString(serviceAccount.resolve("token"), "sa-2");
        assertEquals("token:sa-2", client.getJson("/api").path("user").asText());
    }

    @Test
    void explicitUrlWinsWithTokenAndCaFile() throws Exception {
        TestApiServer server = server(ipCertificate);
        server.acceptedTokens.add("explicit");
        Path caFile = write("ca.crt", ca.certificatePem());
        Path unused = kubeconfig("kube/config", Map.of("server", "https://127.0.0.1:1"), Map.of("token", "no"));

        ClusterConnection connection = resolver(Map.of()).resolve(new ConnectionSettings(unused.toString(), "",
                server.url(), "explicit", "", caFile.toString(), false));

        assertEquals("token:explicit", whoAmI(connection));
    }

    @Test
    void unknownContextNamesTheFileAndTheContexts() throws Exception {
        Path config = kubeconfig("kube/config", Map.of("server", "https://127.0.0.1:1"), Map.of("token", "t"));

        ClusterConfigException error = assertThrows(ClusterConfigException.class,
                () -> resolver(Map.of()).resolve(kubeconfigSettings(config, "prod")));

        assertEquals("kubeconfig " + config + ": context \"prod\" not found (contexts: test)", error.getMessage());
    }

    @Test
    void missingUserNamesTheContextAndTheUsers() throws Exception {
        Path config = write("kube/config", YAML.writeValueAsString(Map.of(
                "current-context", "a",
                "contexts", List.of(Map.of("name", "a", "context", Map.of("cluster", "c", "user", "ghost"))),
                "clusters", List.of(Map.of("name", "c", "cluster", Map.of("server", "https://127.0.0.1:1"))),
                "users", List.of(Map.of("name", "admin", "user", Map.of("token", "t"))))));

        ClusterConfigException error = assertThrows(ClusterConfigException.class,
                () -> resolver(Map.of()).resolve(kubeconfigSettings(config, "")));

        assertEquals("kubeconfig " + config + ": context \"a\": user \"ghost\" not found (users: admin)",
                error.getMessage());
    }

    @Test
    void unreadableClientKeyNamesTheUserAndKey() throws Exception {
        Path config = kubeconfig("kube/config", Map.of("server", "https://127.0.0.1:1"),
                Map.of("client-certificate-data", base64(ca.certificatePem()), "client-key-data", base64("garbage")));

        ClusterConfigException error = assertThrows(ClusterConfigException.class,
                () -> resolver(Map.of()).resolve(kubeconfigSettings(config, "")));

        assertTrue(error.getMessage().startsWith("kubeconfig " + config + ": user \"test-user\": client-key-data"),
                error.getMessage());
    }

    @Test
    void nothingToConnectToSaysWhatWasTried() {
        ClusterConfigException error = assertThrows(ClusterConfigException.class,
                () -> resolver(Map.of()).resolve(new ConnectionSettings("", "", "", "", "", "", false)));

        assertTrue(error.getMessage().contains("KUBERNETES_SERVICE_HOST"), error.getMessage());
    }
}
