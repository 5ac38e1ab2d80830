package io.kube2kafka.testing;

import io.kube2kafka.cluster.TestPki;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS for a simulated API server on 127.0.0.1: the server's key and certificate, issued by a fresh
 * CA, and that CA as a PEM file for kubernetes.ca-file. A relay on another 127.0.0.1 port passes the
 * handshake through untouched, and the certificate still matches.
 */
public record LoopbackTls(SSLContext server, Path caFile) {

    /** @param dir where the CA file is written (a test's @TempDir) */
    public static LoopbackTls issue(Path dir) {
        TestPki.Issued ca = TestPki.ca("kube2kafka-test-ca");
        Path caFile = dir.resolve("ca.crt");
        try {
            Files.writeString(caFile, ca.certificatePem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LoopbackTls(TestPki.serverTls(TestPki.server(ca, "127.0.0.1"), null), caFile);
    }
}
