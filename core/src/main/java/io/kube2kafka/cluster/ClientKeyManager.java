package io.kube2kafka.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.IOException;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * Offers one client certificate, asked for at every handshake so that a renewed certificate file or an exec
 * plugin's new certificate is presented by new connections. Unlike the JDK's key managers it does not filter
 * by the CA names the server lists: like kubectl, we present the configured certificate and let the server
 * decide.
 *
 * <p>A connection keeps the certificate of its handshake for as long as it lives, and OkHttp keeps
 * connections in its pool (with HTTP/2, every request of a cluster shares one). So when the certificate
 * changes, this closes every connection that presented another one, as client-go does
 * ({@code loadClientCert} in client-go transport/cert_rotation.go: "certificate rotation detected, shutting
 * down client connections to start using new credentials"). The watches on them end and resume from their
 * resourceVersion over connections that present the new certificate; otherwise the old certificate would
 * be presented until the API server refuses it (401, once it expires or is revoked) on every pooled
 * connection in turn.
 *
 * <p>The TLS sessions of the old certificate are forgotten too: a new connection would otherwise resume
 * one (the JDK's client session cache, keyed by host and port) and the server would take the caller to be
 * the old certificate's subject again, without a new handshake ever asking this manager.
 *
 * <p>The change is looked for at every handshake and, through {@link #current}, before every request
 * ({@link TlsSetup} wires that), since a pooled connection makes no new handshake.
 */
final class ClientKeyManager extends X509ExtendedKeyManager {
    private static final Logger LOG = LoggerFactory.getLogger(ClientKeyManager.class);
    private static final String ALIAS_PREFIX = "client-";

    private final Supplier<ClientKey> source;
    /** The sockets that presented a certificate, and which; weak, so closed connections are forgotten. */
    private final Map<Socket, ClientKey> presented = new WeakHashMap<>(); // guarded by this
    private ClientKey current; // guarded by this
    private ClientKey previous; // guarded by this: a handshake may ask for the chain of the pair it just chose
    private int generation; // guarded by this: names current in aliases
    private SSLSessionContext sessions; // guarded by this: the client session cache of the SSLContext using this

    /** @param source returns null when there is no client certificate to present */
    ClientKeyManager(Supplier<ClientKey> source) {
        this.source = source;
    }

    /** Called once by {@link TlsSetup} with the session cache of the SSLContext this manager serves. */
    synchronized void forgetSessionsOnRotation(SSLSessionContext clientSessions) {
        this.sessions = clientSessions;
    }

    /**
     * The certificate to present now. When it differs from the one before, the connections that presented
     * another one are closed (see the class comment).
     */
    ClientKey current() {
        ClientKey key = source.get();
        List<Socket> stale = new ArrayList<>();
        synchronized (this) {
            if (key == null || key.sameCertificate(current)) {
                return key == null ? null : current;
            }
            ClientKey before = current;
            previous = current;
            current = key;
            generation++;
            if (before == null) {
                return key; // the first certificate is no rotation
            }
            presented.forEach((socket, used) -> {
                if (!used.sameCertificate(key)) {
                    stale.add(socket);
                }
            });
            stale.forEach(presented::remove);
            if (sessions != null) {
                for (Enumeration<byte[]> ids = sessions.getIds(); ids.hasMoreElements(); ) {
                    SSLSession session = sessions.getSession(ids.nextElement());
                    if (session != null) {
                        session.invalidate();
                    }
                }
            }
        }
        LOG.info("client certificate rotated to {}: closing {} connection(s) that present the previous one; "
                + "their watches resume from their resourceVersion", key.subject(), stale.size());
        for (Socket socket : stale) {
            try {
                socket.close();
            } catch (IOException e) {
                // The connection is being dropped either way; a failed close_notify changes nothing.
                LOG.debug("closing a connection after the client certificate rotated: {}", e.getMessage());
            }
        }
        return key;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        if (current() == null) {
            return null;
        }
        synchronized (this) {
            // current, not what current() returned: a rotation by another thread in between must not be missed.
            for (String keyType : keyTypes) {
                if (keyType.equalsIgnoreCase(current.key().getAlgorithm())) {
                    if (socket != null) {
                        presented.put(socket, current);
                    }
                    return ALIAS_PREFIX + generation;
                }
            }
        }
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return chooseClientAlias(keyTypes, issuers, null);
    }

    /** The pair an alias from {@link #chooseClientAlias} names, even if a rotation happened in between. */
    private synchronized ClientKey byAlias(String alias) {
        if ((ALIAS_PREFIX + generation).equals(alias)) {
            return current;
        }
        if ((ALIAS_PREFIX + (generation - 1)).equals(alias)) {
            return previous;
        }
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        ClientKey key = byAlias(alias);
        return key == null ? null : key.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        ClientKey key = byAlias(alias);
        return key == null ? null : key.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        synchronized (this) {
            return current == null ? null : new String[] {ALIAS_PREFIX + generation};
        }
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
