package io.kube2kafka.watch;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import java.util.function.Supplier;

/**
 * How to reach one API server: its URL, credentials and TLS settings, already resolved from
 * kubeconfig, the in-cluster service account or explicit configuration.
 *
 * @param bearerToken asked before every request, so a rotated token file is picked up; returns null
 *     when no token is used
 * @param sslSocketFactory null for the JVM's default trust (or plain HTTP)
 * @param hostnameVerifier null for the default verifier
 * @param onUnauthorized run when the server answers 401, so a cached credential (an exec plugin's
 *     token) is dropped and fetched anew for the next request; null when there is nothing to drop
 */
public record ClusterConnection(String url, Supplier<String> bearerToken, SSLSocketFactory sslSocketFactory,
                                X509TrustManager trustManager, HostnameVerifier hostnameVerifier,
                                Runnable onUnauthorized) {

    public ClusterConnection(String url, Supplier<String> bearerToken, SSLSocketFactory sslSocketFactory,
                             X509TrustManager trustManager, HostnameVerifier hostnameVerifier) {
        this(url, bearerToken, sslSocketFactory, trustManager, hostnameVerifier, null);
    }

    public static ClusterConnection plain(String url, String token) {
        return new ClusterConnection(url, () -> token == null || token.isEmpty() ? null : token, null, null, null);
    }
}
