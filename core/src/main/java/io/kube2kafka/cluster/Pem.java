package io.kube2kafka.cluster;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * PEM certificates and private keys, in every form kubeconfig files carry: RSA keys as PKCS#1
 * ({@code RSA PRIVATE KEY}) or PKCS#8 ({@code PRIVATE KEY}), EC keys as SEC1 ({@code EC PRIVATE KEY},
 * often after an {@code EC PARAMETERS} block) or PKCS#8. Bouncy Castle parses; the keys it returns come
 * from the JDK's own providers, so JSSE can use them without registering Bouncy Castle.
 */
final class Pem {
    private Pem() {
    }

    /** @param what names the source in errors, e.g. {@code kubeconfig /x: cluster "c": certificate-authority-data} */
    static List<X509Certificate> certificates(byte[] pem, String what) throws ClusterConfigException {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = parser(pem)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException e) {
            throw new ClusterConfigException(what + ": not a valid PEM certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new ClusterConfigException(what + ": contains no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    static PrivateKey privateKey(byte[] pem, String what) throws ClusterConfigException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = parser(pem)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair pair) {
                    // Not getKeyPair: a SEC1 key may leave out its optional public key.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new ClusterConfigException(what + ": the private key is encrypted; kubectl cannot use "
                            + "encrypted keys either, decrypt it (openssl pkey -in KEY -out KEY.plain)");
                }
                // Anything else is skipped: the EC PARAMETERS block openssl writes before a SEC1 key, or a
                // certificate in a file that holds both.
            }
        } catch (ClusterConfigException e) {
            throw e;
        } catch (IOException e) {
            throw new ClusterConfigException(what + ": not a valid PEM private key: " + e.getMessage(), e);
        }
        throw new ClusterConfigException(what + ": contains no PEM private key "
                + "(RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY)");
    }

    private static PEMParser parser(byte[] pem) {
        return new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII));
    }
}
