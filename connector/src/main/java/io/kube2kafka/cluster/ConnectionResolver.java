package io.kube2kafka.cluster;

import io.kube2kafka.watch.ClusterConnection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.function.Supplier;

/**
 * Turns {@link ConnectionSettings} into a {@link ClusterConnection}: explicit URL with a token or a
 * token file, and a CA file. (Issue 4 adds kubeconfig, client certificates, exec plugins and the
 * in-cluster service account.)
 */
public final class ConnectionResolver {

    public ClusterConnection resolve(ConnectionSettings settings) throws IOException, GeneralSecurityException {
        if (settings.url().isEmpty()) {
            throw new IOException("kubernetes.url is empty; set it to the API server's URL (kubeconfig support: issue 4)");
        }
        Supplier<String> token = tokenSource(settings);
        if (settings.caFile().isEmpty()) {
            return new ClusterConnection(settings.url(), token, null, null, null);
        }
        X509TrustManager trust = trustManager(Path.of(settings.caFile()));
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {trust}, null);
        return new ClusterConnection(settings.url(), token, tls.getSocketFactory(), trust, null);
    }

    private static Supplier<String> tokenSource(ConnectionSettings settings) {
        if (!settings.tokenFile().isEmpty()) {
            return new TokenFile(Path.of(settings.tokenFile()));
        }
        String token = settings.token();
        return () -> token.isEmpty() ? null : token;
    }

    static X509TrustManager trustManager(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager for " + caFile);
    }
}
