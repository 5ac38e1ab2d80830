package io.kube2kafka.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A TCP relay on loopback in front of an API server that can hold back the responses to chosen
 * requests: while frozen, bytes the server sends for a request whose (URL-decoded) request line
 * matches are not passed on, as if the network stalled; thawing passes them on, in order. Lets a
 * test decide which of two watches learns of a change first.
 *
 * <p>HTTP/1.1 without pipelining (OkHttp's way): a client sends its next request on a connection only
 * after the previous response, so the request line last seen on a connection names the response
 * flowing back on it.
 */
public final class ResponseHoldingRelay implements AutoCloseable {
    private static final Predicate<String> NOTHING = line -> false;

    private final ServerSocket listener;
    private final InetSocketAddress server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object monitor = new Object();
    private Predicate<String> frozen = NOTHING; // guarded by monitor
    private volatile boolean closed;

    public ResponseHoldingRelay(URI serverUrl) throws IOException {
        this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), serverUrl.getPort());
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "relay accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** From now on, responses to requests whose decoded request line matches wait until {@link #thaw()}. */
    public void freeze(Predicate<String> requestLine) {
        synchronized (monitor) {
            frozen = requestLine;
        }
    }

    /** Passes on everything held back, and everything after it. */
    public void thaw() {
        synchronized (monitor) {
            frozen = NOTHING;
            monitor.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket(server.getAddress(), server.getPort());
                sockets.add(client);
                sockets.add(upstream);
                Connection connection = new Connection();
                start("relay up", () -> connection.pumpRequests(client.getInputStream(), upstream.getOutputStream()), client, upstream);
                start("relay down", () -> connection.pumpResponses(upstream.getInputStream(), client.getOutputStream()), client, upstream);
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("the relay cannot accept connections", e);
                }
            }
        }
    }

    private interface Pump {
        void run() throws IOException, InterruptedException;
    }

    private void start(String name, Pump pump, Socket client, Socket upstream) {
        Thread thread = new Thread(() -> {
            try {
                pump.run();
            } catch (IOException | InterruptedException e) {
                // One side went away: so does the other, as a real network path would.
            } finally {
                closeQuietly(client);
                closeQuietly(upstream);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** One client connection: the request line it last sent decides whether its responses flow. */
    private final class Connection {
        private volatile String requestLine = "";

        void pumpRequests(InputStream in, OutputStream out) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                // GET requests have no body: each head ends with a blank line, and its first line is the request line.
                for (int i = 0; i < n; i++) {
                    head.write(buffer[i]);
                    String text = head.toString(StandardCharsets.ISO_8859_1);
                    if (text.endsWith("\r\n\r\n")) {
                        requestLine = URLDecoder.decode(text.substring(0, text.indexOf("\r\n")), StandardCharsets.UTF_8);
                        head.reset();
                    }
                }
                // Noted before the server can answer, so the answer is judged by its own request.
                out.write(buffer, 0, n);
                out.flush();
            }
        }

        void pumpResponses(InputStream in, OutputStream out) throws IOException, InterruptedException {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (monitor) {
                    while (frozen.test(requestLine) && !closed) {
                        monitor.wait();
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thaw();
        closeQuietly(listener);
        sockets.forEach(ResponseHoldingRelay::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing at the end of a test: nothing left to tell.
        }
    }
}
