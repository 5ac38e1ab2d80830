package io.kube2kafka.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube2kafka.watch.ClusterConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns {@link ConnectionSettings} into a {@link ClusterConnection}, accepting what kubectl accepts, in
 * kubectl's order:
 * <ol>
 *   <li>{@code kubernetes.url}, with {@code token} or {@code token-file}, {@code ca-file} and
 *       {@code insecure-skip-tls-verify};</li>
 *   <li>kubeconfig: {@code kubernetes.kubeconfig}, else {@code $KUBECONFIG} (a list, merged), else
 *       {@code ~/.kube/config}; the {@code kubernetes.context} or current-context;</li>
 *   <li>in a pod: the service account under {@code /var/run/secrets/kubernetes.io/serviceaccount/} and
 *       {@code KUBERNETES_SERVICE_HOST}/{@code KUBERNETES_SERVICE_PORT}.</li>
 * </ol>
 * The environment, home directory, service-account directory and clock are injected so tests never touch
 * the real ones.
 */
public final class ConnectionResolver {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionResolver.class);
    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> environment;
    private final Path home;
    private final Path serviceAccount;
    private final Clock clock;

    public ConnectionResolver() {
        this(System.getenv(), Path.of(System.getProperty("user.home")), SERVICE_ACCOUNT, Clock.systemUTC());
    }

    /**
     * @param environment where $KUBECONFIG and KUBERNETES_SERVICE_HOST/PORT are looked up, and what exec
     *     plugins inherit
     * @param serviceAccount the directory holding the pod's token, ca.crt and namespace
     */
    public ConnectionResolver(Map<String, String> environment, Path home, Path serviceAccount, Clock clock) {
        this.environment = Map.copyOf(environment);
        this.home = home;
        this.serviceAccount = serviceAccount;
        this.clock = clock;
    }

    public ClusterConnection resolve(ConnectionSettings settings) throws IOException, GeneralSecurityException {
        return resolveWithDetails(settings).connection();
    }

    public ResolvedConnection resolveWithDetails(ConnectionSettings settings)
            throws IOException, GeneralSecurityException {
        ResolvedConnection resolved = resolveEndpoint(settings);
        return new ResolvedConnection(resolved.connection().withHttp2(http2Allowed(settings)), resolved.namespace(),
                resolved.source());
    }

    /**
     * HTTP/2 unless {@code kubernetes.http2 = false} or $DISABLE_HTTP2 is set to anything: client-go's switch
     * ({@code SetTransportDefaults} in k8s.io/apimachinery/pkg/util/net/http.go), for users who already use it.
     */
    private boolean http2Allowed(ConnectionSettings settings) {
        String disable = environment.getOrDefault("DISABLE_HTTP2", "");
        if (settings.http2() && !disable.isEmpty()) {
            LOG.info("HTTP/2 is disabled by DISABLE_HTTP2={}: speaking HTTP/1.1, one connection per watch", disable);
        }
        return settings.http2() && disable.isEmpty();
    }

    private ResolvedConnection resolveEndpoint(ConnectionSettings settings)
            throws IOException, GeneralSecurityException {
        if (!settings.url().isEmpty()) {
            if (!settings.kubeconfig().isEmpty() || !settings.context().isEmpty()) {
                LOG.warn("kubernetes.url is set, so kubernetes.kubeconfig and kubernetes.context are ignored");
            }
            return explicitUrl(settings);
        }
        List<String> urlOnly = new ArrayList<>();
        if (!settings.token().isEmpty()) {
            urlOnly.add("kubernetes.token");
        }
        if (!settings.tokenFile().isEmpty()) {
            urlOnly.add("kubernetes.token-file");
        }
        if (!settings.caFile().isEmpty()) {
            urlOnly.add("kubernetes.ca-file");
        }
        if (settings.insecureSkipTlsVerify()) {
            urlOnly.add("kubernetes.insecure-skip-tls-verify");
        }
        if (!urlOnly.isEmpty()) {
            throw new ClusterConfigException(String.join(", ", urlOnly) + " set but kubernetes.url is empty: these "
                    + "keys apply to kubernetes.url only (put them in the kubeconfig, or set kubernetes.url)");
        }
        List<Path> kubeconfigs = kubeconfigFiles(settings);
        if (!kubeconfigs.isEmpty()) {
            return fromKubeconfig(Kubeconfig.load(kubeconfigs), settings.context(), settings.execTimeout());
        }
        String host = environment.getOrDefault("KUBERNETES_SERVICE_HOST", "");
        String port = environment.getOrDefault("KUBERNETES_SERVICE_PORT", "");
        if (!host.isEmpty() && !port.isEmpty()) {
            return inCluster(host, port);
        }
        String kubeconfigEnv = environment.getOrDefault("KUBECONFIG", "");
        throw new ClusterConfigException("no API server to connect to: kubernetes.url and kubernetes.kubeconfig are "
                + "empty, " + (kubeconfigEnv.isEmpty() ? "$KUBECONFIG is unset and " + home.resolve(".kube/config")
                + " does not exist" : "no file in $KUBECONFIG=" + kubeconfigEnv + " exists")
                + ", and this is not a pod (KUBERNETES_SERVICE_HOST/PORT unset)");
    }

    private ResolvedConnection explicitUrl(ConnectionSettings settings)
            throws IOException, GeneralSecurityException {
        Supplier<String> token;
        if (!settings.tokenFile().isEmpty()) {
            token = new TokenFile(Path.of(settings.tokenFile()));
        } else {
            String fixed = settings.token();
            token = () -> fixed.isEmpty() ? null : fixed;
        }
        List<X509Certificate> ca = null;
        String caSource = "the JVM's default trust store";
        if (!settings.caFile().isEmpty()) {
            caSource = "kubernetes.ca-file " + settings.caFile();
            ca = Pem.certificates(read(Path.of(settings.caFile()), caSource), caSource);
        }
        ServerTrust trust = new ServerTrust(ca, caSource, settings.insecureSkipTlsVerify(), null,
                "kubernetes.insecure-skip-tls-verify=true");
        return new ResolvedConnection(TlsSetup.connection(settings.url(), token, trust, null, null), "",
                "kubernetes.url " + settings.url());
    }

    /** The kubeconfig files to merge, in precedence order; empty when none exists. */
    private List<Path> kubeconfigFiles(ConnectionSettings settings) throws ClusterConfigException {
        if (!settings.kubeconfig().isEmpty()) {
            Path file = Path.of(settings.kubeconfig());
            if (!Files.isRegularFile(file)) {
                throw new ClusterConfigException("kubernetes.kubeconfig=" + file + ": no such file");
            }
            return List.of(file);
        }
        String list = environment.getOrDefault("KUBECONFIG", "");
        if (!list.isEmpty()) {
            // As kubectl: empty elements and files that do not exist are skipped, duplicates count once.
            List<Path> files = new ArrayList<>();
            for (String element : list.split(":")) {
                if (!element.isEmpty() && Files.isRegularFile(Path.of(element)) && !files.contains(Path.of(element))) {
                    files.add(Path.of(element));
                }
            }
            return files;
        }
        Path standard = home.resolve(".kube").resolve("config");
        return Files.isRegularFile(standard) ? List.of(standard) : List.of();
    }

    /** @param execTimeout how long an exec plugin may run before it is killed */
    private ResolvedConnection fromKubeconfig(Kubeconfig config, String contextName, Duration execTimeout)
            throws IOException, GeneralSecurityException {
        Kubeconfig.Selection selection = config.select(contextName);
        Kubeconfig.Entry cluster = selection.cluster();
        String server = cluster.text("server");
        if (server.isEmpty()) {
            throw new ClusterConfigException(cluster.where() + ": server is empty");
        }
        byte[] caPem = null;
        String caSource = "the JVM's default trust store";
        if (!cluster.text("certificate-authority-data").isEmpty()) {
            caSource = cluster.where() + ": certificate-authority-data";
            caPem = base64(cluster, "certificate-authority-data");
        } else if (cluster.path("certificate-authority") != null) {
            Path file = cluster.path("certificate-authority");
            caSource = cluster.where() + ": certificate-authority " + file;
            caPem = read(file, caSource);
        }
        boolean insecure = cluster.flag("insecure-skip-tls-verify");
        if (insecure && caPem != null) {
            // kubectl refuses this combination too: the user must decide which one they meant.
            throw new ClusterConfigException(cluster.where() + ": insecure-skip-tls-verify is true and a "
                    + "certificate-authority is given; remove one of them");
        }
        String tlsServerName = cluster.text("tls-server-name");
        ServerTrust trust = new ServerTrust(caPem == null ? null : Pem.certificates(caPem, caSource), caSource,
                insecure, tlsServerName, cluster.where() + ": insecure-skip-tls-verify: true");
        String source = "kubeconfig " + selection.context().file() + ", context \"" + selection.context().name() + "\"";
        String namespace = selection.context().text("namespace");

        Kubeconfig.Entry user = selection.user();
        Supplier<String> token = () -> null;
        ClientKeyManager keys = null;
        Runnable onUnauthorized = null;
        if (user != null) {
            rejectUnsupported(user);
            Supplier<ClientKey> staticKey = staticClientKey(user);
            if (staticKey != null) {
                keys = new ClientKeyManager(staticKey);
            }
            String fixed = user.text("token");
            Path tokenFile = user.path("tokenFile");
            boolean hasExec = user.body().has("exec") && !user.body().get("exec").isNull();
            if (tokenFile != null) {
                // client-go: the file, re-read as it changes, takes precedence over an inline token.
                token = new TokenFile(tokenFile, user.where() + ": tokenFile " + tokenFile);
            } else if (!fixed.isEmpty()) {
                token = () -> fixed;
            }
            if (hasExec && (tokenFile != null || !fixed.isEmpty() || staticKey != null)) {
                // client-go's rule: an explicit credential wins and the plugin is never run.
                LOG.info("{}: has a token or client certificate, so its exec plugin is not used", user.where());
            } else if (hasExec) {
                ExecCredentialPlugin plugin = execPlugin(user, cluster, server, caPem, insecure, tlsServerName,
                        execTimeout);
                token = plugin::token;
                keys = new ClientKeyManager(plugin::clientKey);
                onUnauthorized = plugin::invalidate;
            }
        }
        ClusterConnection connection = TlsSetup.connection(server, token, trust, keys, onUnauthorized);
        return new ResolvedConnection(connection, namespace, source);
    }

    private static void rejectUnsupported(Kubeconfig.Entry user) throws ClusterConfigException {
        if (user.body().has("auth-provider")) {
            throw new ClusterConfigException(user.where() + ": auth-provider \""
                    + user.body().path("auth-provider").path("name").asText() + "\" is not supported (kubectl "
                    + "removed auth providers too); use the provider's exec plugin, e.g. gke-gcloud-auth-plugin or "
                    + "kubelogin");
        }
        if (!user.text("username").isEmpty() || !user.text("password").isEmpty()) {
            throw new ClusterConfigException(user.where() + ": username/password (basic auth) is not supported; "
                    + "use a token, a client certificate or an exec plugin");
        }
    }

    /**
     * The user's client certificate and key, or null when it has none. A pair given as files is read again
     * as the files change; a pair given as data is fixed.
     */
    private static Supplier<ClientKey> staticClientKey(Kubeconfig.Entry user) throws IOException {
        Path certificateFile = user.text("client-certificate-data").isEmpty() ? user.path("client-certificate") : null;
        Path keyFile = user.text("client-key-data").isEmpty() ? user.path("client-key") : null;
        if (certificateFile != null && keyFile != null) {
            return new ClientKeyFiles(certificateFile, user.where() + ": client-certificate " + certificateFile,
                    keyFile, user.where() + ": client-key " + keyFile);
        }
        byte[] certificate = null;
        String certificateWhat = null;
        if (!user.text("client-certificate-data").isEmpty()) {
            certificateWhat = user.where() + ": client-certificate-data";
            certificate = base64(user, "client-certificate-data");
        } else if (user.path("client-certificate") != null) {
            certificateWhat = user.where() + ": client-certificate " + user.path("client-certificate");
            certificate = read(user.path("client-certificate"), certificateWhat);
        }
        byte[] key = null;
        String keyWhat = null;
        if (!user.text("client-key-data").isEmpty()) {
            keyWhat = user.where() + ": client-key-data";
            key = base64(user, "client-key-data");
        } else if (user.path("client-key") != null) {
            keyWhat = user.where() + ": client-key " + user.path("client-key");
            key = read(user.path("client-key"), keyWhat);
        }
        if (certificate == null && key == null) {
            return null;
        }
        if (certificate == null || key == null) {
            throw new ClusterConfigException(user.where() + ": " + (certificate == null
                    ? "client-key is given without client-certificate(-data)"
                    : "client-certificate is given without client-key(-data)"));
        }
        ClientKey fixed = ClientKey.fromPem(certificate, certificateWhat, key, keyWhat);
        return () -> fixed;
    }

    private ExecCredentialPlugin execPlugin(Kubeconfig.Entry user, Kubeconfig.Entry cluster, String server,
                                            byte[] caPem, boolean insecure, String tlsServerName, Duration timeout)
            throws ClusterConfigException {
        JsonNode exec = user.body().path("exec");
        String where = user.where() + ": exec";
        String apiVersion = exec.path("apiVersion").asText("");
        if (!ExecCredentialPlugin.API_VERSIONS.contains(apiVersion)) {
            throw new ClusterConfigException(where + ": apiVersion \"" + apiVersion + "\" is not supported (use "
                    + String.join(" or ", ExecCredentialPlugin.API_VERSIONS) + ")");
        }
        String command = exec.path("command").asText("");
        if (command.isEmpty()) {
            throw new ClusterConfigException(where + ": command is empty");
        }
        List<String> args = new ArrayList<>();
        for (JsonNode arg : exec.path("args")) {
            args.add(arg.asText());
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode variable : exec.path("env")) {
            String name = variable.path("name").asText("");
            if (name.isEmpty()) {
                throw new ClusterConfigException(where + ": an env entry has no name");
            }
            env.put(name, variable.path("value").asText(""));
        }
        boolean provideClusterInfo = exec.path("provideClusterInfo").asBoolean(false);
        ObjectNode clusterInfo = JSON.createObjectNode();
        clusterInfo.put("server", server);
        if (!tlsServerName.isEmpty()) {
            clusterInfo.put("tls-server-name", tlsServerName);
        }
        clusterInfo.put("insecure-skip-tls-verify", insecure);
        if (caPem != null) {
            clusterInfo.put("certificate-authority-data", Base64.getEncoder().encodeToString(caPem));
        }
        for (JsonNode extension : cluster.body().path("extensions")) {
            // Per-cluster plugin configuration lives in this named extension (client-go's execInfo).
            if ("client.authentication.k8s.io/exec".equals(extension.path("name").asText())) {
                clusterInfo.set("config", extension.path("extension"));
            }
        }
        ExecCredentialPlugin.Config config = new ExecCredentialPlugin.Config(apiVersion,
                ExecCredentialPlugin.resolveCommand(command, user), args, env, provideClusterInfo);
        return new ExecCredentialPlugin(config, environment, clusterInfo, clock, user.where(), timeout);
    }

    private ResolvedConnection inCluster(String host, String port) throws IOException, GeneralSecurityException {
        Path tokenPath = serviceAccount.resolve("token");
        Path caPath = serviceAccount.resolve("ca.crt");
        if (!Files.isRegularFile(tokenPath)) {
            throw new ClusterConfigException("in-cluster: KUBERNETES_SERVICE_HOST is set but " + tokenPath
                    + " is missing; is automountServiceAccountToken off for this pod?");
        }
        String caSource = "in-cluster " + caPath;
        List<X509Certificate> ca = Pem.certificates(read(caPath, caSource), caSource);
        // An IPv6 service address needs brackets in a URL.
        String url = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        Path namespacePath = serviceAccount.resolve("namespace");
        String namespace = Files.isRegularFile(namespacePath)
                ? Files.readString(namespacePath, StandardCharsets.UTF_8).trim() : "";
        ClusterConnection connection = TlsSetup.connection(url,
                new TokenFile(tokenPath, "in-cluster service account token " + tokenPath),
                new ServerTrust(ca, caSource, false, null, null), null, null);
        return new ResolvedConnection(connection, namespace, "in-cluster service account " + serviceAccount);
    }

    private static byte[] base64(Kubeconfig.Entry entry, String key) throws ClusterConfigException {
        try {
            return Base64.getDecoder().decode(entry.text(key).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new ClusterConfigException(entry.where() + ": " + key + " is not valid base64: " + e.getMessage(), e);
        }
    }

    /** A file the configuration names; unreadable, it is a configuration error naming what it was for. */
    static byte[] read(Path file, String what) throws ClusterConfigException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ClusterConfigException(what + ": cannot read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
    }
}
