package io.kube2kafka.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTPS API server on 127.0.0.1 that answers {@code GET /api} for a caller who presents an accepted
 * bearer token or a client certificate from {@code clientCa}, and says who it took the caller to be.
 */
final class TestApiServer implements AutoCloseable {
    final Set<String> acceptedTokens = ConcurrentHashMap.newKeySet();
    final List<String> serverNamesSeen = new CopyOnWriteArrayList<>();
    private final HttpsServer server;

    TestApiServer(TestPki.Issued serverCertificate, TestPki.Issued clientCa) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", serverCertificate.keys().getPrivate(), new char[0],
                new Certificate[] {serverCertificate.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("client-ca", clientCa.certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = tls.getDefaultSSLParameters();
                // "want", not "need": the same server takes bearer tokens, as a real API server does.
                parameters.setWantClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/api", this::handle);
        server.start();
    }

    String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        SSLSession session = ((HttpsExchange) exchange).getSSLSession();
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    serverNamesSeen.add(host.getAsciiName());
                }
            }
        }
        String user = null;
        try {
            X509Certificate client = (X509Certificate) session.getPeerCertificates()[0];
            user = "cert:" + client.getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException noClientCertificate) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null && authorization.startsWith("Bearer ")
                    && acceptedTokens.contains(authorization.substring("Bearer ".length()))) {
                user = "token:" + authorization.substring("Bearer ".length());
            }
        }
        if (user == null) {
            respond(exchange, 401, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                    + "\"reason\":\"Unauthorized\",\"message\":\"Unauthorized\",\"code\":401}");
        } else {
            respond(exchange, 200, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"user\":\"" + user + "\"}");
        }
    }

    private static void respond(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
