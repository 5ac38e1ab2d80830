package io.kube2kafka.cluster;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.cert.CertificateException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** Certificates issued on the fly for the tests: a CA, server certificates and client certificates. */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate with its key. */
    public record Issued(X509Certificate certificate, KeyPair keys) {
        public String certificatePem() {
            return pem(certificate);
        }

        /** RSA: PKCS#1 (RSA PRIVATE KEY); EC: SEC1 (EC PRIVATE KEY). */
        String traditionalKeyPem() {
            return pem(keys.getPrivate());
        }

        /** PKCS#8 (PRIVATE KEY), for either algorithm. */
        String pkcs8KeyPem() {
            try {
                return pem(new JcaPKCS8Generator(keys.getPrivate(), null));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ec() {
        try {
            // Bouncy Castle's EC keys encode the curve and public key inside the SEC1 structure, as openssl's
            // do; the JDK's leave both out, which no kubeconfig in the wild does.
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Issued ca(String name) {
        KeyPair keys = rsa();
        return new Issued(issue("CN=" + name, keys, "CN=" + name, keys.getPrivate(), true, null), keys);
    }

    /** @param names subjectAltNames: an IP address or a DNS name each */
    public static Issued server(Issued ca, String... names) {
        KeyPair keys = rsa();
        GeneralName[] alternatives = new GeneralName[names.length];
        for (int i = 0; i < names.length; i++) {
            boolean ip = Character.isDigit(names[i].charAt(0));
            alternatives[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, names[i]);
        }
        return new Issued(issue("CN=apiserver", keys, ca.certificate().getSubjectX500Principal().getName(),
                ca.keys().getPrivate(), false, new GeneralNames(alternatives)), keys);
    }

    static Issued client(Issued ca, String commonName, KeyPair keys) {
        return new Issued(issue("CN=" + commonName, keys, ca.certificate().getSubjectX500Principal().getName(),
                ca.keys().getPrivate(), false, null), keys);
    }

    private static X509Certificate issue(String subject, KeyPair keys, String issuer, PrivateKey issuerKey,
                                         boolean isCa, GeneralNames alternatives) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (alternatives != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, alternatives);
            }
            String algorithm = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * TLS for a simulated API server: it presents {@code server}, and trusts client certificates issued by
     * {@code clientCa} (null: none, for servers that take bearer tokens).
     */
    static SSLServerSocketFactory serverSocketFactory(Issued server, Issued clientCa) {
        return serverTls(server, clientCa).getServerSocketFactory();
    }

    /** The same TLS material as {@link #serverSocketFactory}, for servers that take an SSLContext (the HTTP/2 transport). */
    public static SSLContext serverTls(Issued server, Issued clientCa) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", server.keys().getPrivate(), new char[0], new Certificate[] {server.certificate()});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, new char[0]);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            if (clientCa != null) {
                trust.setCertificateEntry("client-ca", clientCa.certificate());
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return tls;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * TLS as a real API server sets it up: it presents {@code server} and requests a client certificate
     * without requiring or verifying one (Go's tls.RequestClientCert), leaving the judgement to each
     * request (SimulatedApiServer#acceptOnlyClientCertificates).
     */
    static SSLServerSocketFactory requestingClientCertificates(Issued server) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", server.keys().getPrivate(), new char[0], new Certificate[] {server.certificate()});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, new char[0]);
            X509TrustManager anyClient = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                    // Deliberately empty: the API server verifies client certificates per request, not here.
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                    throw new CertificateException("a server socket checks no server certificates");
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            };
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keyManagers.getKeyManagers(), new TrustManager[] {anyClient}, null);
            SSLServerSocketFactory factory = tls.getServerSocketFactory();
            return new SSLServerSocketFactory() {
                private ServerSocket requesting(ServerSocket socket) {
                    ((SSLServerSocket) socket).setWantClientAuth(true);
                    return socket;
                }

                @Override
                public ServerSocket createServerSocket(int port) throws IOException {
                    return requesting(factory.createServerSocket(port));
                }

                @Override
                public ServerSocket createServerSocket(int port, int backlog) throws IOException {
                    return requesting(factory.createServerSocket(port, backlog));
                }

                @Override
                public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
                    return requesting(factory.createServerSocket(port, backlog, address));
                }

                @Override
                public String[] getDefaultCipherSuites() {
                    return factory.getDefaultCipherSuites();
                }

                @Override
                public String[] getSupportedCipherSuites() {
                    return factory.getSupportedCipherSuites();
                }
            };
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
