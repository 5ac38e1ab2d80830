package io.kube2kafka.cluster;

import io.kube2kafka.watch.ClusterConnection;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds the TLS half of a {@link ClusterConnection}. Server certificates are verified by default, and a
 * failure is reported by our own trust manager, which knows the server URL and where the trusted CAs came
 * from, so the handshake error a watcher logs already says what is wrong and which key to fix.
 */
final class TlsSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TlsSetup.class);

    private TlsSetup() {
    }

    /**
     * @param clientKeys null when no client certificate is presented
     * @param onUnauthorized null when no credential is cached
     */
    static ClusterConnection connection(String url, Supplier<String> bearerToken, ServerTrust trust,
                                        ClientKeyManager clientKeys, Runnable onUnauthorized)
            throws GeneralSecurityException {
        if (clientKeys != null) {
            bearerToken = lookingForRotation(bearerToken, clientKeys);
        }
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null || !parsed.isHttps()) {
            // Plain http (or a URL ApiClient will reject with its own message): nothing to verify.
            return new ClusterConnection(url, bearerToken, null, null, null, onUnauthorized);
        }
        String expectedName = blank(trust.tlsServerName()) ? parsed.host() : trust.tlsServerName();
        X509ExtendedTrustManager trustManager;
        HostnameVerifier hostnameVerifier = null;
        if (trust.insecureSkipVerify()) {
            LOG.warn("{}: TLS certificate of {} is NOT verified; anyone on the network path can read and change "
                    + "the traffic, including the bearer token", trust.insecureSource(), url);
            trustManager = new AcceptAnyServer(defaultTrust(null));
            hostnameVerifier = (host, session) -> true;
        } else {
            trustManager = new ServerCertificateCheck(defaultTrust(trust.caCertificates()), url, expectedName,
                    trust.caSource());
            if (!blank(trust.tlsServerName())) {
                String name = trust.tlsServerName();
                ServerHostnameVerifier verifier = new ServerHostnameVerifier();
                hostnameVerifier = (host, session) -> verifier.verify(name, session);
            }
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(clientKeys == null ? null : new KeyManager[] {clientKeys}, new TrustManager[] {trustManager},
                null);
        if (clientKeys != null) {
            clientKeys.forgetSessionsOnRotation(context.getClientSessionContext());
        }
        SSLSocketFactory factory = context.getSocketFactory();
        if (!blank(trust.tlsServerName())) {
            factory = new ServerNameIndication(factory, trust.tlsServerName());
        }
        return new ClusterConnection(url, bearerToken, factory, trustManager, hostnameVerifier, onUnauthorized);
    }

    /**
     * Before each request, after its token (an exec plugin may hand out a new certificate with it): a
     * renewed client certificate closes the pooled connections that present the old one before the request
     * picks one of them (see {@link ClientKeyManager}).
     */
    private static Supplier<String> lookingForRotation(Supplier<String> bearerToken, ClientKeyManager clientKeys) {
        return () -> {
            String token = bearerToken.get();
            clientKeys.current();
            return token;
        };
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    /** @param caCertificates null for the JVM's default trust store */
    static X509ExtendedTrustManager defaultTrust(List<X509Certificate> caCertificates)
            throws GeneralSecurityException {
        KeyStore store = null;
        if (caCertificates != null) {
            store = KeyStore.getInstance(KeyStore.getDefaultType());
            try {
                store.load(null, null);
            } catch (IOException e) {
                throw new GeneralSecurityException("cannot create an empty key store", e);
            }
            int i = 0;
            for (X509Certificate certificate : caCertificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JVM offers no X.509 trust manager");
    }

    /**
     * PKIX validation by the JDK, then the name check OkHttp would do, each failure turned into a message
     * naming the server and the cause. Checking the name here rather than only in OkHttp's hostname
     * verifier is what lets the message name the URL and the key to fix.
     */
    static final class ServerCertificateCheck extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final String url;
        private final String expectedName;
        private final String caSource;
        private final ServerHostnameVerifier names = new ServerHostnameVerifier();

        ServerCertificateCheck(X509ExtendedTrustManager delegate, String url, String expectedName, String caSource) {
            this.delegate = delegate;
            this.url = url;
            this.expectedName = expectedName;
            this.caSource = caSource;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                throw TlsFailure.untrusted(url, chain, caSource, e);
            }
            checkName(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                throw TlsFailure.untrusted(url, chain, caSource, e);
            }
            checkName(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw TlsFailure.untrusted(url, chain, caSource, e);
            }
            checkName(chain);
        }

        private void checkName(X509Certificate[] chain) throws CertificateException {
            if (!names.verify(expectedName, chain[0])) {
                throw TlsFailure.wrongName(url, expectedName, chain[0]);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }

    /** insecure-skip-tls-verify: any certificate, any name. */
    static final class AcceptAnyServer extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager issuers;

        AcceptAnyServer(X509ExtendedTrustManager issuers) {
            this.issuers = issuers;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // Deliberately empty: the user set insecure-skip-tls-verify, and TlsSetup logged a warning.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // As above.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // As above.
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a client connection never checks client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a client connection never checks client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client connection never checks client certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            // OkHttp cleans certificate chains with these; the default ones are as good as any.
            return issuers.getAcceptedIssuers();
        }
    }

    /**
     * Sends tls-server-name as SNI. The JDK only sends SNI for a host name taken from the URL, never for an
     * IP address, yet kubeconfig uses tls-server-name exactly when the server is reached by IP or through a
     * tunnel and routes by SNI.
     */
    static final class ServerNameIndication extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final String serverName;

        ServerNameIndication(SSLSocketFactory delegate, String serverName) {
            this.delegate = delegate;
            this.serverName = serverName;
        }

        private Socket withServerName(Socket socket) {
            if (socket instanceof SSLSocket ssl) {
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(serverName)));
                ssl.setSSLParameters(parameters);
            }
            return socket;
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return withServerName(delegate.createSocket(socket, host, port, autoClose));
        }

        @Override
        public Socket createSocket() throws IOException {
            return withServerName(delegate.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return withServerName(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return withServerName(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return withServerName(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return withServerName(delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
