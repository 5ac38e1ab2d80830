package io.kube2kafka.cluster;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A client certificate (with any intermediates after it) and its private key. */
record ClientKey(List<X509Certificate> chain, PrivateKey key) {

    static ClientKey fromPem(byte[] certificatePem, String certificateWhat, byte[] keyPem, String keyWhat)
            throws ClusterConfigException {
        return new ClientKey(Pem.certificates(certificatePem, certificateWhat), Pem.privateKey(keyPem, keyWhat));
    }
}
