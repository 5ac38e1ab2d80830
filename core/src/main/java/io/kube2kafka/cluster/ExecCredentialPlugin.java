package io.kube2kafka.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A kubeconfig {@code users[].user.exec} credential plugin (aws eks get-token, gke-gcloud-auth-plugin,
 * kubelogin, ...). The plugin runs when a credential is first needed, again once the credential passes its
 * {@code expirationTimestamp}, and again after the server answered 401 ({@link #invalidate}), as client-go
 * does. The plugin's stdin is closed: there is no terminal to be interactive on, so interactiveMode is
 * ignored and a plugin that wants to prompt fails with its own message.
 *
 * <p>Where we part from client-go, and why: client-go runs the plugin under the authenticator's mutex with
 * no deadline ({@code refreshCredsLocked} in client-go plugin/pkg/client/auth/exec/exec.go calls
 * {@code cmd.Run()}), so one plugin that hangs blocks every request of that client for good. A bridge runs
 * for months, so here a run has a deadline ({@code kubernetes.exec-timeout}) after which the plugin and its
 * children are killed, no lock is held while it runs (one run at a time per plugin; other callers wait for
 * it, interruptibly and at most until its deadline), and a failed run (non-zero exit, bad output, timeout)
 * is an {@link IOException} that the watch retries with backoff. Like client-go, a failed run leaves the
 * cached credential as it was: only a successful run replaces it.
 */
final class ExecCredentialPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(ExecCredentialPlugin.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> API_VERSIONS = List.of("client.authentication.k8s.io/v1",
            "client.authentication.k8s.io/v1beta1");
    /** How much longer than a run's deadline a waiting caller waits: the runner needs a moment to kill it. */
    private static final Duration WAIT_GRACE = Duration.ofSeconds(5);

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
    private final Duration timeout;
    /** The last credential a run produced; read without the lock during TLS handshakes. */
    private volatile Credential cached;
    private boolean rejected; // guarded by this: the server answered 401 to cached
    private CompletableFuture<Credential> inFlight; // guarded by this: the run under way, if any

    /**
     * @param environment the environment the plugin inherits (the process's, injectable for tests)
     * @param clusterInfo the ExecCredential spec.cluster object, sent only with provideClusterInfo
     * @param where prefix for errors, e.g. {@code kubeconfig /x: user "eks"}
     * @param timeout how long one run may take before it is killed
     */
    ExecCredentialPlugin(Config config, Map<String, String> environment, ObjectNode clusterInfo, Clock clock,
                         String where, Duration timeout) {
        this.config = config;
        this.environment = environment;
        this.clusterInfo = clusterInfo;
        this.clock = clock;
        this.where = where;
        this.timeout = timeout;
    }

    /**
     * The current credential, running the plugin if there is none, it has expired or the server refused it.
     * Only one run is under way at a time; a caller that arrives meanwhile waits for that run's result.
     *
     * @throws IOException when the run fails (the message names the command), or the caller was interrupted
     *     ({@link InterruptedIOException})
     */
    Credential credential() throws IOException {
        CompletableFuture<Credential> run;
        boolean runHere;
        synchronized (this) {
            Credential current = cached;
            if (current != null && !rejected && !expired(current)) {
                return current;
            }
            runHere = inFlight == null;
            if (runHere) {
                inFlight = new CompletableFuture<>();
            }
            run = inFlight;
        }
        return runHere ? runAndShare(run) : awaitRun(run);
    }

    private boolean expired(Credential credential) {
        return credential.expiry() != null && !clock.instant().isBefore(credential.expiry());
    }

    private Credential runAndShare(CompletableFuture<Credential> run) throws IOException {
        try {
            Credential fresh = run();
            synchronized (this) {
                cached = fresh;
                rejected = false;
                inFlight = null;
            }
            run.complete(fresh);
            return fresh;
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                inFlight = null;
            }
            run.completeExceptionally(e);
            throw e;
        }
    }

    private Credential awaitRun(CompletableFuture<Credential> run) throws IOException {
        try {
            return run.get(timeout.plus(WAIT_GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException(where + ": interrupted while waiting "
                    + "for exec plugin " + config.command());
            interrupted.initCause(e);
            throw interrupted;
        } catch (TimeoutException e) {
            // Cannot happen while the runner honours its deadline; bounded all the same.
            throw new IOException(where + ": exec plugin " + config.command() + " gave no credential within "
                    + timeout.plus(WAIT_GRACE).toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IOException(cause.getMessage(), cause);
        }
    }

    /** For {@link io.kube2kafka.watch.ClusterConnection#bearerToken()}, which cannot throw checked exceptions. */
    String token() {
        try {
            return credential().token();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * The client certificate of the credential in hand, asked for during a TLS handshake. It never runs the
     * plugin: the request's token was fetched just before (so the credential is current), and a handshake
     * must not wait for a plugin, nor present a certificate from a newer run than the token of its request.
     *
     * @return null when there is no credential or it carries no certificate
     */
    ClientKey clientKey() {
        Credential current = cached;
        return current == null ? null : current.clientKey();
    }

    /** The server refused the credential: the next request runs the plugin again. */
    synchronized void invalidate() {
        if (cached != null && !rejected) {
            LOG.info("{}: the API server answered 401; the exec plugin {} runs again for the next request", where,
                    config.command());
            rejected = true;
        }
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
        String what = where + ": exec plugin " + config.command();
        PluginProcess.Result result;
        try {
            result = PluginProcess.run(builder, timeout);
        } catch (PluginProcess.TimedOut | InterruptedIOException e) {
            IOException named = e instanceof InterruptedIOException
                    ? new InterruptedIOException(what + ": " + e.getMessage())
                    : new IOException(what + " " + e.getMessage() + " (kubernetes.exec-timeout="
                            + timeout.toMillis() + "ms)");
            named.initCause(e);
            throw named;
        } catch (PluginProcess.CannotStart e) {
            // A configuration error at start-up (exit 2); at run time the watch retries it like any IOException.
            throw new ClusterConfigException(what + ": cannot start: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException(what + ": " + e.getMessage(), e);
        }
        if (result.exitStatus() != 0) {
            throw new IOException(what + " exited with status " + result.exitStatus()
                    + (result.stderr().isEmpty() ? "" : ": " + result.stderr()));
        }
        return parse(result.stdout());
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

    /** Bad output is an IOException, not a configuration error: the next run may well print a good one. */
    private Credential parse(byte[] stdout) throws IOException {
        String what = where + ": exec plugin " + config.command();
        JsonNode root;
        try {
            root = JSON.readTree(stdout);
        } catch (IOException e) {
            throw new IOException(what + " printed no ExecCredential JSON: " + e.getMessage(), e);
        }
        if (root == null || !"ExecCredential".equals(root.path("kind").asText())) {
            throw new IOException(what + " printed no ExecCredential (kind is not ExecCredential)");
        }
        if (!config.apiVersion().equals(root.path("apiVersion").asText())) {
            throw new IOException(what + " printed apiVersion \"" + root.path("apiVersion").asText()
                    + "\" but the kubeconfig asks for \"" + config.apiVersion() + "\"");
        }
        JsonNode status = root.path("status");
        String token = status.path("token").asText("");
        String certificate = status.path("clientCertificateData").asText("");
        String key = status.path("clientKeyData").asText("");
        if (certificate.isEmpty() != key.isEmpty()) {
            throw new IOException(what + ": status.clientCertificateData and status.clientKeyData must "
                    + "be given together");
        }
        if (token.isEmpty() && certificate.isEmpty()) {
            throw new IOException(what + ": the ExecCredential has neither status.token nor "
                    + "status.clientCertificateData");
        }
        ClientKey clientKey = null;
        if (!certificate.isEmpty()) {
            try {
                clientKey = ClientKey.fromPem(certificate.getBytes(StandardCharsets.US_ASCII),
                        what + ": status.clientCertificateData", key.getBytes(StandardCharsets.US_ASCII),
                        what + ": status.clientKeyData");
            } catch (ClusterConfigException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        Instant expiry = null;
        String expiration = status.path("expirationTimestamp").asText("");
        if (!expiration.isEmpty()) {
            try {
                expiry = OffsetDateTime.parse(expiration).toInstant();
            } catch (DateTimeParseException e) {
                throw new IOException(what + ": status.expirationTimestamp \"" + expiration
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
