package io.kube2kafka.cluster;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;

/**
 * Offers one client certificate, asked for at every handshake so that an exec plugin can hand out a new
 * one. Unlike the JDK's key managers it does not filter by the CA names the server lists: like kubectl, we
 * present the configured certificate and let the server decide.
 */
final class ClientKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "client";
    private final Supplier<ClientKey> source;

    /** @param source returns null when there is no client certificate to present */
    ClientKeyManager(Supplier<ClientKey> source) {
        this.source = source;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        ClientKey current = source.get();
        if (current == null) {
            return null;
        }
        for (String keyType : keyTypes) {
            if (keyType.equalsIgnoreCase(current.key().getAlgorithm())) {
                return ALIAS;
            }
        }
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return chooseClientAlias(keyTypes, issuers, null);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        ClientKey current = source.get();
        return current == null ? null : current.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        ClientKey current = source.get();
        return current == null ? null : current.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return source.get() == null ? null : new String[] {ALIAS};
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }
}
