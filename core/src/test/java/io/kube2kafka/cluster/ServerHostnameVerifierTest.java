package io.kube2kafka.cluster;

import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which names a server certificate is accepted for, as a user setting server or tls-server-name sees it. */
class ServerHostnameVerifierTest {
    private static final TestPki.Issued CA = TestPki.ca("test-ca");
    private final ServerHostnameVerifier verifier = new ServerHostnameVerifier();

    @Test
    void aWildcardStandsForExactlyOneLeftMostLabel() {
        X509Certificate certificate = TestPki.server(CA, "*.cluster.example").certificate();

        assertTrue(verifier.verify("api.cluster.example", certificate));
        assertTrue(verifier.verify("API.Cluster.EXAMPLE", certificate), "names are case-insensitive");
        assertTrue(verifier.verify("api.cluster.example.", certificate), "the root dot changes nothing");
        assertFalse(verifier.verify("cluster.example", certificate), "the wildcard cannot stand for nothing");
        assertFalse(verifier.verify("a.b.cluster.example", certificate), "the wildcard cannot span two labels");
        assertFalse(verifier.verify("api.other.example", certificate));
    }

    @Test
    void aWildcardAnywhereButAWholeLeftMostLabelMatchesNothing() {
        X509Certificate certificate = TestPki.server(CA, "api*.cluster.example", "api.*.example", "*").certificate();

        assertFalse(verifier.verify("api1.cluster.example", certificate));
        assertFalse(verifier.verify("api.cluster.example", certificate));
        assertFalse(verifier.verify("localhost", certificate));
    }

    @Test
    void anExactNameMatchesIgnoringCase() {
        X509Certificate certificate = TestPki.server(CA, "Kubernetes.Default.svc", "127.0.0.1").certificate();

        assertTrue(verifier.verify("kubernetes.default.svc", certificate));
        assertFalse(verifier.verify("kubernetes.default", certificate));
        assertFalse(verifier.verify("other.default.svc", certificate));
    }

    @Test
    void anIpAddressMatchesOnlyAnIpAddressEntryWithTheSameAddress() {
        X509Certificate certificate = TestPki.server(CA, "127.0.0.1", "localhost").certificate();

        assertTrue(verifier.verify("127.0.0.1", certificate));
        assertFalse(verifier.verify("127.0.0.2", certificate));
        assertFalse(verifier.verify("127.1", certificate), "only the canonical dotted form is an address");
        assertFalse(verifier.verify("::1", certificate), "an IPv6 address is not the IPv4 entry");

        X509Certificate namesOnly = TestPki.server(CA, "localhost").certificate();
        assertFalse(verifier.verify("127.0.0.1", namesOnly), "an address is never looked up or matched by name");
    }

    @Test
    void aCertificateWithoutSubjectAltNamesMatchesNothingNotEvenItsCommonName() {
        // TestPki.ca issues CN=<name> with no subjectAltName extension.
        X509Certificate commonNameOnly = TestPki.ca("apiserver.cluster.example").certificate();

        assertFalse(verifier.verify("apiserver.cluster.example", commonNameOnly));
        assertFalse(verifier.verify("127.0.0.1", commonNameOnly));
    }
}
