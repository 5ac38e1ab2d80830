package io.kube2kafka.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A kubeconfig {@code client-certificate} / {@code client-key} pair of files, read again whenever asked, so
 * a certificate renewed on disk (cert-manager, kubelet-style rotation, a script) is used without a restart.
 * As with {@link TokenFile}, the files are read rather than their modification times compared: times tick
 * coarsely, and two small reads cost nothing next to the request or handshake that asks.
 *
 * <p>A renewal is rarely atomic: the certificate may be written before its key, or a file read half
 * written. Until both files parse and form a pair, the previous pair stays in use and the problem is
 * logged once per content seen, so a mid-rotation read never breaks connections that work.
 */
final class ClientKeyFiles implements Supplier<ClientKey> {
    private static final Logger LOG = LoggerFactory.getLogger(ClientKeyFiles.class);

    private final Path certificateFile;
    private final String certificateWhat;
    private final Path keyFile;
    private final String keyWhat;
    private ClientKey current; // guarded by this
    private byte[] currentCertificate; // guarded by this: the bytes current was read from
    private byte[] currentKey; // guarded by this
    private byte[] refusedCertificate; // guarded by this: the last contents that did not make a pair
    private byte[] refusedKey; // guarded by this
    private String lastProblem; // guarded by this: logged once, until it changes or a valid pair arrives

    /** Reads the pair once; at start-up a pair that does not parse is a configuration error. */
    ClientKeyFiles(Path certificateFile, String certificateWhat, Path keyFile, String keyWhat)
            throws ClusterConfigException {
        this.certificateFile = certificateFile;
        this.certificateWhat = certificateWhat;
        this.keyFile = keyFile;
        this.keyWhat = keyWhat;
        byte[] certificate = ConnectionResolver.read(certificateFile, certificateWhat);
        byte[] key = ConnectionResolver.read(keyFile, keyWhat);
        this.current = ClientKey.fromPem(certificate, certificateWhat, key, keyWhat);
        this.currentCertificate = certificate;
        this.currentKey = key;
    }

    /** The pair on disk now if it is a valid one, else the last valid pair. */
    @Override
    public synchronized ClientKey get() {
        byte[] certificate;
        byte[] key;
        try {
            certificate = ConnectionResolver.read(certificateFile, certificateWhat);
            key = ConnectionResolver.read(keyFile, keyWhat);
        } catch (ClusterConfigException e) {
            // Renewal by rename can leave a moment with no file at all.
            refuse(null, null, e.getMessage());
            return current;
        }
        if (Arrays.equals(certificate, currentCertificate) && Arrays.equals(key, currentKey)) {
            return current;
        }
        if (Arrays.equals(certificate, refusedCertificate) && Arrays.equals(key, refusedKey)) {
            return current;
        }
        try {
            ClientKey renewed = ClientKey.fromPem(certificate, certificateWhat, key, keyWhat);
            if (!renewed.sameCertificate(current)) {
                LOG.info("{} changed: new connections present {} (valid until {})", certificateWhat,
                        renewed.subject(), renewed.chain().get(0).getNotAfter().toInstant());
            }
            current = renewed;
            currentCertificate = certificate;
            currentKey = key;
            refusedCertificate = null;
            refusedKey = null;
            lastProblem = null;
        } catch (ClusterConfigException e) {
            refuse(certificate, key, e.getMessage());
        }
        return current;
    }

    private void refuse(byte[] certificate, byte[] key, String problem) {
        if (!problem.equals(lastProblem)) {
            LOG.warn("{}; still presenting the previous client certificate ({}) until the files hold a valid pair",
                    problem, current.subject());
        }
        lastProblem = problem;
        refusedCertificate = certificate;
        refusedKey = key;
    }

}
