package io.kube2kafka.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 between a client (the bridge) and a server (the simulated API server)
 * that can freeze every connection already open: from then on a frozen connection passes no byte in
 * either direction and closes nothing, not even when one side closes. That is how a connection
 * looks after a load-balancer failover or a node crash: no bytes, no FIN, no RST. Connections
 * opened afterwards pass normally. It only copies bytes, so TLS and HTTP/2 go through untouched.
 *
 * <p>Two threads per connection, one per direction. A thread that holds bytes when its connection
 * freezes never writes them; it waits until the relay closes. Not reading further lets the sender's
 * buffers fill, as they would against a black hole.
 */
public final class FreezingRelay implements AutoCloseable {
    private final String host;
    private final int port;
    private final String scheme;
    private final ServerSocket listener;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    private FreezingRelay(URI server) throws IOException {
        this.host = server.getHost();
        this.port = server.getPort();
        this.scheme = server.getScheme();
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("relay-" + listener.getLocalPort() + "-accept", this::acceptLoop).start();
    }

    /** A relay to {@code server}, an http(s) URL on 127.0.0.1. */
    public static FreezingRelay to(URI server) {
        try {
            return new FreezingRelay(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a relay on 127.0.0.1", e);
        }
    }

    /** The server's URL with the relay's port: the same scheme, and the same host the certificate names. */
    public URI url() {
        return URI.create(scheme + "://127.0.0.1:" + listener.getLocalPort());
    }

    /** Freezes every connection open now; returns how many. */
    public int freezeOpenConnections() {
        int frozen = 0;
        for (Link link : links) {
            if (link.freeze()) {
                frozen++;
            }
        }
        return frozen;
    }

    /** Connections accepted since the relay started. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /** Connections open and passing bytes (neither closed nor frozen). */
    public int liveConnections() {
        return (int) links.stream().filter(link -> !link.frozen).count();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // The accept loop ends on the resulting exception either way.
        }
        links.forEach(Link::close);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // close() shut the listener
            }
            Socket server;
            try {
                server = new Socket(host, port);
            } catch (IOException e) {
                closeQuietly(client); // as a proxy whose backend refuses: the client sees the connection close
                continue;
            }
            accepted.incrementAndGet();
            Link link = new Link(client, server);
            links.add(link);
            if (closed) {
                link.close();
            }
            link.start();
        }
    }

    /** One relayed connection. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private volatile boolean frozen;
        private volatile boolean ended;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            String name = "relay-" + listener.getLocalPort() + "-" + client.getPort();
            daemon(name + "-up", () -> pump(client, server)).start();
            daemon(name + "-down", () -> pump(server, client)).start();
        }

        /** @return false when the connection has already ended */
        synchronized boolean freeze() {
            if (ended) {
                return false;
            }
            frozen = true;
            return true;
        }

        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    holdWhileFrozen();
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // One side closed or reset; below, the other side learns it unless the connection is frozen.
            }
            try {
                holdWhileFrozen(); // a FIN or RST that arrives after the freeze is not passed on either
            } catch (IOException relayClosed) {
                // the relay is closing every connection anyway
            }
            close();
        }

        /** Returns at once unless frozen; frozen, it returns only by throwing when the relay closes. */
        private synchronized void holdWhileFrozen() throws IOException {
            while (frozen && !closed) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while frozen", e);
                }
            }
            if (frozen) {
                throw new IOException("relay closed");
            }
        }

        void close() {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
            links.remove(this);
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is best effort: the socket is unusable either way.
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }
}
