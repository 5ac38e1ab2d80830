package io.kube2kafka.cluster;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Does a server certificate belong to a host name or IP address? The rules OkHttp applies (RFC 2818,
 * RFC 6125), in our own code because OkHttp's verifier is an internal, unsupported API:
 * <ul>
 *   <li>only the subjectAltName entries count; the subject's CN is never consulted (RFC 6125 6.4.4 lets
 *       clients skip it, and browsers and OkHttp do);</li>
 *   <li>an IP address matches an iPAddress entry holding the same address, never a dNSName entry;</li>
 *   <li>a host name matches a dNSName entry, ignoring case; the entry may start with one wildcard label
 *       ({@code *.example.com}) that stands for exactly one non-empty label, never several and never a
 *       whole single-label name.</li>
 * </ul>
 */
final class ServerHostnameVerifier implements HostnameVerifier {
    /** subjectAltName types, RFC 5280 4.2.1.6 (as {@link X509Certificate#getSubjectAlternativeNames} numbers them). */
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    /** What OkHttp treats as an IP address rather than a host name: IPv6 (has a colon) or dotted digits. */
    private static final Pattern IP_ADDRESS_LITERAL = Pattern.compile("([0-9a-fA-F]*:[0-9a-fA-F:.]*)|([\\d.]+)");

    /** For a hostname verifier installed in OkHttp: checks the peer's leaf certificate. */
    @Override
    public boolean verify(String host, SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf && verify(host, leaf);
        } catch (SSLException e) {
            // No verified peer: nothing can match. OkHttp then fails the call naming the host.
            return false;
        }
    }

    boolean verify(String host, X509Certificate certificate) {
        if (host == null || host.isEmpty() || !StandardCharsets.US_ASCII.newEncoder().canEncode(host)) {
            return false;
        }
        if (IP_ADDRESS_LITERAL.matcher(host).matches()) {
            byte[] address = ipAddress(host);
            return address != null && alternativeNames(certificate, IP_ADDRESS).stream()
                    .map(ServerHostnameVerifier::ipAddress)
                    .anyMatch(entry -> Arrays.equals(address, entry));
        }
        String name = absolute(host.toLowerCase(Locale.ROOT));
        return alternativeNames(certificate, DNS_NAME).stream().anyMatch(pattern -> matches(name, pattern));
    }

    /** @param name lower case, ending in a dot */
    private static boolean matches(String name, String pattern) {
        if (name.startsWith(".") || name.endsWith("..") || pattern.isEmpty() || pattern.startsWith(".")
                || pattern.endsWith("..")) {
            return false;
        }
        pattern = absolute(pattern.toLowerCase(Locale.ROOT));
        if (!pattern.contains("*")) {
            return name.equals(pattern);
        }
        // The wildcard must be the whole left-most label and the only one, and not stand for a whole name.
        if (!pattern.startsWith("*.") || pattern.indexOf('*', 1) != -1 || pattern.equals("*.")) {
            return false;
        }
        String suffix = pattern.substring(1);
        if (name.length() <= suffix.length() || !name.endsWith(suffix)) {
            return false;
        }
        // What the wildcard stands for must be one label: no dot in it.
        return name.lastIndexOf('.', name.length() - suffix.length() - 1) == -1;
    }

    /** Names with and without the trailing root dot are the same name. */
    private static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    /** The address's bytes; null when it is not a valid IPv4 or IPv6 literal. */
    private static byte[] ipAddress(String literal) {
        if (literal.indexOf(':') == -1) {
            return ipv4(literal);
        }
        if (!IP_ADDRESS_LITERAL.matcher(literal).matches()) {
            return null;
        }
        try {
            // Only hex digits, colons and dots, at least one colon: the JDK parses it as an IPv6 literal
            // (or rejects it), it never looks such a string up in DNS.
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return null; // not an address, so it matches none
        }
    }

    /** Strictly four decimal octets: the JDK would also accept forms like 127.1. */
    private static byte[] ipv4(String literal) {
        String[] parts = literal.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return null;
            }
            address[i] = (byte) octet;
        }
        return address;
    }

    private static List<String> alternativeNames(X509Certificate certificate, int type) {
        Collection<List<?>> entries;
        try {
            entries = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            // An unreadable extension names nothing: the certificate then matches no host, and the
            // caller reports the name mismatch with the certificate's details.
            return List.of();
        }
        if (entries == null) {
            return List.of();
        }
        return entries.stream()
                .filter(entry -> entry.size() >= 2 && entry.get(0) instanceof Integer t && t == type
                        && entry.get(1) instanceof String)
                .map(entry -> (String) entry.get(1))
                .toList();
    }
}
