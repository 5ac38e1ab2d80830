package io.kube2kafka.cluster;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * How to check the API server's certificate.
 *
 * @param caCertificates the CAs to trust; null for the JVM's default trust store
 * @param caSource where they came from, for error messages (e.g. {@code kubernetes.ca-file /etc/ca.crt})
 * @param insecureSkipVerify accept any certificate for any name; only when the user asked explicitly
 * @param tlsServerName the name the certificate must carry (and the SNI to send) instead of the URL's host;
 *     null or empty for the URL's host
 * @param insecureSource the key that asked for insecure-skip-tls-verify, for the warning
 */
record ServerTrust(List<X509Certificate> caCertificates, String caSource, boolean insecureSkipVerify,
                   String tlsServerName, String insecureSource) {

    static ServerTrust jvmDefault() {
        return new ServerTrust(null, "the JVM's default trust store", false, null, null);
    }
}
