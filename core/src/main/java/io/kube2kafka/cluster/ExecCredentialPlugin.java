package io.kube2kafka.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A kubeconfig {@code users[].user.exec} credential plugin (aws eks get-token, gke-gcloud-auth-plugin,
 * kubelogin, ...). The plugin runs when a credential is first needed, again once the credential passes its
 * {@code expirationTimestamp}, and again after the server answered 401 ({@link #invalidate}), as client-go
 * does. The plugin's stdin is closed: there is no terminal to be interactive on, so interactiveMode is
 * ignored and a plugin that wants to prompt fails with its own message.
 */
final class ExecCredentialPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(ExecCredentialPlugin.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> API_VERSIONS = List.of("client.authentication.k8s.io/v1",
            "client.authentication.k8s.io/v1beta1");
    /** Cloud plugins call their identity service; a minute is generous, and a hung plugin must not hang us. */
    private static final long TIMEOUT_SECONDS = 60;

    /** The parsed {@code exec} block. */
    record Config(String apiVersion, String command, List<String> args, Map<String, String> env,
                  boolean provideClusterInfo) {
    }

    /** What one run produced; expiry null when the credential does not expire. */
    record Credential(String token, ClientKey clientKey, Instant expiry) {
    }

    private final Config config;
    private final Map<String, String> environment;
    private final ObjectNode clusterInfo;
    private final Clock clock;
    private final String where;
    private Credential cached;

    /**
     * @param environment the environment the plugin inherits (the process's, injectable for tests)
     * @param clusterInfo the ExecCredential spec.cluster object, sent only with provideClusterInfo
     * @param where prefix for errors, e.g. {@code kubeconfig /x: user "eks"}
     */
    ExecCredentialPlugin(Config config, Map<String, String> environment, ObjectNode clusterInfo, Clock clock,
                         String where) {
        this.config = config;
        this.environment = environment;
        this.clusterInfo = clusterInfo;
        this.clock = clock;
        this.where = where;
    }

    /** The current credential, running the plugin if there is none or it has expired. */
    synchronized Credential credential() {
        if (cached == null || (cached.expiry() != null && !clock.instant().isBefore(cached.expiry()))) {
            try {
                cached = run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cached;
    }

    String token() {
        return credential().token();
    }

    /**
     * The client certificate of the credential in hand, asked for during a TLS handshake. The request's
     * token was fetched just before, so this does not check expiry again: running the plugin mid-handshake
     * could hand the server a certificate from a newer run than the token of the same request.
     */
    synchronized ClientKey clientKey() {
        return cached == null ? credential().clientKey() : cached.clientKey();
    }

    /** The server refused the credential: the next request runs the plugin again. */
    synchronized void invalidate() {
        if (cached != null) {
            LOG.info("{}: the API server answered 401; the exec plugin {} runs again for the next request", where,
                    config.command());
        }
        cached = null;
    }

    private Credential run() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(config.command());
        command.addAll(config.args());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().putAll(config.env());
        builder.environment().put("KUBERNETES_EXEC_INFO", execInfo());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ClusterConfigException(where + ": cannot start exec plugin " + config.command() + ": "
                    + e.getMessage(), e);
        }
        process.getOutputStream().close();
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        byte[] stdout = readAll(process.getInputStream());
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ClusterConfigException(where + ": exec plugin " + config.command() + " did not finish within "
                        + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(where + ": interrupted while waiting for exec plugin " + config.command(), e);
        }
        String errors = new String(stderr.join(), StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
            throw new ClusterConfigException(where + ": exec plugin " + config.command() + " exited with status "
                    + process.exitValue() + (errors.isEmpty() ? "" : ": " + errors));
        }
        return parse(stdout);
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String execInfo() {
        ObjectNode info = JSON.createObjectNode();
        info.put("apiVersion", config.apiVersion());
        info.put("kind", "ExecCredential");
        ObjectNode spec = info.putObject("spec");
        spec.put("interactive", false);
        if (config.provideClusterInfo() && clusterInfo != null) {
            spec.set("cluster", clusterInfo);
        }
        return info.toString();
    }

    private Credential parse(byte[] stdout) throws ClusterConfigException {
        String what = where + ": exec plugin " + config.command();
        JsonNode root;
        try {
            root = JSON.readTree(stdout);
        } catch (IOException e) {
            throw new ClusterConfigException(what + " printed no ExecCredential JSON: " + e.getMessage(), e);
        }
        if (root == null || !"ExecCredential".equals(root.path("kind").asText())) {
            throw new ClusterConfigException(what + " printed no ExecCredential (kind is not ExecCredential)");
        }
        if (!config.apiVersion().equals(root.path("apiVersion").asText())) {
            throw new ClusterConfigException(what + " printed apiVersion \"" + root.path("apiVersion").asText()
                    + "\" but the kubeconfig asks for \"" + config.apiVersion() + "\"");
        }
        JsonNode status = root.path("status");
        String token = status.path("token").asText("");
        String certificate = status.path("clientCertificateData").asText("");
        String key = status.path("clientKeyData").asText("");
        if (certificate.isEmpty() != key.isEmpty()) {
            throw new ClusterConfigException(what + ": status.clientCertificateData and status.clientKeyData must "
                    + "be given together");
        }
        if (token.isEmpty() && certificate.isEmpty()) {
            throw new ClusterConfigException(what + ": the ExecCredential has neither status.token nor "
                    + "status.clientCertificateData");
        }
        ClientKey clientKey = certificate.isEmpty() ? null : ClientKey.fromPem(
                certificate.getBytes(StandardCharsets.US_ASCII), what + ": status.clientCertificateData",
                key.getBytes(StandardCharsets.US_ASCII), what + ": status.clientKeyData");
        Instant expiry = null;
        String expiration = status.path("expirationTimestamp").asText("");
        if (!expiration.isEmpty()) {
            try {
                expiry = OffsetDateTime.parse(expiration).toInstant();
            } catch (DateTimeParseException e) {
                throw new ClusterConfigException(what + ": status.expirationTimestamp \"" + expiration
                        + "\" is not an RFC 3339 time", e);
            }
        }
        LOG.debug("{} gave a credential{}", what, expiry == null ? " without expiry" : " valid until " + expiry);
        return new Credential(token.isEmpty() ? null : token, clientKey, expiry);
    }

    /** A command with a path separator is relative to the kubeconfig's directory; a bare name is looked up on PATH. */
    static String resolveCommand(String command, Kubeconfig.Entry user) {
        return command.contains("/") ? user.resolve(command).toString() : command;
    }
}
