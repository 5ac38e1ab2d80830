package io.kube2kafka.cluster;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Says in one line why TLS to an API server failed, naming the server and the key to fix. The trust
 * manager of {@link TlsSetup} already throws with such a message; {@link #describe} also covers failures
 * that come from elsewhere (the JDK, OkHttp's hostname check, the server rejecting our client certificate).
 */
public final class TlsFailure {
    static final String UNTRUSTED_HINT = "kubernetes.ca-file / certificate-authority";

    private TlsFailure() {
    }

    /**
     * @return the message for a TLS failure anywhere in {@code error}'s cause chain, or empty when the
     *     failure is not about TLS
     */
    public static Optional<String> describe(String url, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ServerCertificateException ours) {
                return Optional.of(ours.getMessage());
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return Optional.of(prefix(url) + "the server's certificate is outside its validity period ("
                        + t.getMessage() + ")");
            }
            if (t instanceof CertPathBuilderException
                    || String.valueOf(t.getMessage()).contains("unable to find valid certification path")) {
                return Optional.of(prefix(url) + "the server's certificate is not signed by a trusted CA ("
                        + UNTRUSTED_HINT + ")");
            }
            if (t instanceof SSLPeerUnverifiedException && String.valueOf(t.getMessage()).startsWith("Hostname ")) {
                // OkHttp's own check, e.g. when a caller built the connection without TlsSetup.
                return Optional.of(prefix(url) + "the server's certificate is not valid for this host name ("
                        + firstLine(t.getMessage()) + "); set tls-server-name if the server is known by another name");
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof SSLException && (message.contains("bad_certificate")
                    || message.contains("certificate_required") || message.contains("unknown_ca"))) {
                return Optional.of(prefix(url) + "the server rejected our client certificate (" + message
                        + "; check client-certificate / client-key and that the server trusts their CA)");
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return Optional.of(prefix(url) + t.getMessage());
            }
        }
        return Optional.empty();
    }

    static CertificateException untrusted(String url, X509Certificate[] chain, String caSource,
                                          CertificateException cause) {
        String certificate = chain.length == 0 ? "" : " (" + chain[0].getSubjectX500Principal().getName()
                + ", issued by " + chain[0].getIssuerX500Principal().getName() + ")";
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return new ServerCertificateException(prefix(url) + "the server's certificate" + certificate
                        + " is outside its validity period: " + t.getMessage(), cause);
            }
        }
        return new ServerCertificateException(prefix(url) + "the server's certificate" + certificate
                + " is not signed by a trusted CA (" + UNTRUSTED_HINT + "; trusted here: " + caSource + ")", cause);
    }

    static CertificateException wrongName(String url, String expectedName, X509Certificate certificate) {
        return new ServerCertificateException(prefix(url) + "the server's certificate is for " + names(certificate)
                + ", not " + expectedName + " (set tls-server-name if the server is known by another name)", null);
    }

    private static String names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    names.add(alternative.get(1).toString());
                }
            }
        } catch (CertificateParsingException e) {
            // The certificate already passed PKIX validation; unreadable names only cost us detail here.
            names.add("unreadable subjectAltNames: " + e.getMessage());
        }
        return names.isEmpty() ? certificate.getSubjectX500Principal().getName() + " (no subjectAltNames)"
                : String.join(", ", names);
    }

    private static String prefix(String url) {
        return "TLS to " + url + " failed: ";
    }

    private static String firstLine(String s) {
        int newline = s.indexOf('\n');
        return newline < 0 ? s : s.substring(0, newline).trim();
    }

    /** A server certificate we refused, with a message that is already complete. */
    static final class ServerCertificateException extends CertificateException {
        ServerCertificateException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
