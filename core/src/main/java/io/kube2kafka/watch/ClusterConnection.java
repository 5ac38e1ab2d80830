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
 * @param http2 whether HTTP/2 may be negotiated with the server (ALPN); false speaks HTTP/1.1 only
 */
public record ClusterConnection(String url, Supplier<String> bearerToken, SSLSocketFactory sslSocketFactory,
                                X509TrustManager trustManager, HostnameVerifier hostnameVerifier,
                                Runnable onUnauthorized, boolean http2) {

    public ClusterConnection(String url, Supplier<String> bearerToken, SSLSocketFactory sslSocketFactory,
                             X509TrustManager trustManager, HostnameVerifier hostnameVerifier,
                             Runnable onUnauthorized) {
        this(url, bearerToken, sslSocketFactory, trustManager, hostnameVerifier, onUnauthorized, true);
    }

    public ClusterConnection(String url, Supplier<String> bearerToken, SSLSocketFactory sslSocketFactory,
                             X509TrustManager trustManager, HostnameVerifier hostnameVerifier) {
        this(url, bearerToken, sslSocketFactory, trustManager, hostnameVerifier, null);
    }

    public ClusterConnection withHttp2(boolean allowed) {
        return new ClusterConnection(url, bearerToken, sslSocketFactory, trustManager, hostnameVerifier, onUnauthorized, allowed);
    }

    public static ClusterConnection plain(String url, String token) {
        return new ClusterConnection(url, () -> token == null || token.isEmpty() ? null : token, null, null, null);
    }
}
