package io.kube2kafka.cluster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/** A client certificate (with any intermediates after it) and its private key. */
record ClientKey(List<X509Certificate> chain, PrivateKey key) {

    /** @throws ClusterConfigException naming both sources when either does not parse or they are not a pair */
    static ClientKey fromPem(byte[] certificatePem, String certificateWhat, byte[] keyPem, String keyWhat)
            throws ClusterConfigException {
        ClientKey pair = new ClientKey(Pem.certificates(certificatePem, certificateWhat), Pem.privateKey(keyPem, keyWhat));
        if (!pair.keyMatchesCertificate()) {
            // Without this check the server would refuse the handshake with a bare "bad certificate".
            throw new ClusterConfigException(keyWhat + " is not the private key of the certificate in "
                    + certificateWhat + " (" + pair.subject() + ")");
        }
        return pair;
    }

    /** The certificate's subject, for log lines: {@code CN=kube2kafka,O=system:masters}. */
    String subject() {
        return chain.get(0).getSubjectX500Principal().getName();
    }

    /** Whether {@code other} presents the same certificate; false for null. */
    boolean sameCertificate(ClientKey other) {
        return other != null && chain.get(0).equals(other.chain.get(0));
    }

    /**
     * Signs a few bytes with the key and checks them with the certificate's public key: the one test that
     * works for RSA, EC and EdDSA alike. A key type it cannot sign with passes, and the server judges.
     */
    private boolean keyMatchesCertificate() {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(chain.get(0).getPublicKey().getAlgorithm())) {
            return algorithm == null;
        }
        byte[] probe = "kube2kafka client key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(chain.get(0).getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // E.g. an EC key on another curve than the certificate's: not a pair.
            return false;
        }
    }
}
