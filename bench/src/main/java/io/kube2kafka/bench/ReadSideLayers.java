package io.kube2kafka.bench;

import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.watch.ApiClient;
import io.kube2kafka.watch.ApiResource;
import io.kube2kafka.watch.MalformedEventException;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.WatchLineParser;
import io.kube2kafka.watch.WatchLineReader;
import io.kube2kafka.watch.WatchTarget;
import io.kube2kafka.watch.Watcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Section 1's diagnostic for issue 13 goal 4: where the read side's CPU goes, layer by layer, by the
 * reading thread's CPU time over the same chunked stream of events: the socket alone, the response
 * body through the bridge's own API client (OkHttp, as configured for watches), then splitting it into
 * lines, then parsing each line. Each layer includes the ones before it, so the differences are what
 * each adds. Last, the bridge's own {@link Watcher} on the same stream into a counting sink: what the
 * watch thread does beyond those layers (events, status, batches), short of waiting on the publisher.
 *
 * <p>The stream comes from a minimal HTTP/1.1 server on loopback that writes each event as one chunk,
 * as kube-apiserver does (one Write per event, chunked by Go's net/http), through a 64 KiB socket
 * buffer: the simulated API server's own work stays out of the figures.
 */
final class ReadSideLayers {
    /** Microseconds of the reading thread's CPU per event, each layer with those before it. */
    record Figures(double socket, double client, double lines, double parse, double watcher) {
    }

    private final List<byte[]> lines;

    ReadSideLayers(List<byte[]> lines) {
        this.lines = lines;
    }

    Figures measure(String bootstrapServers, String runId, int rounds) throws Exception {
        long bodyBytes = lines.stream().mapToLong(line -> line.length).sum();
        try (ChunkedServer server = new ChunkedServer(lines)) {
            BridgeSettings settings = BridgeRun.settings(server.url(), bootstrapServers, "rl" + runId, "");
            ApiClient api = Firehose.apiClient(settings);
            List<Double> socket = new ArrayList<>();
            List<Double> client = new ArrayList<>();
            List<Double> split = new ArrayList<>();
            List<Double> parse = new ArrayList<>();
            List<Double> watcher = new ArrayList<>();
            // The first rounds only warm the JIT.
            for (int round = 0; round < rounds + 3; round++) {
                boolean measured = round >= 3;
                add(measured, socket, perEvent(() -> readSocket(server.port()), server.responseBytes()));
                add(measured, client, perEvent(() -> readBody(api), bodyBytes));
                add(measured, split, perEvent(() -> readLines(api, false), bodyBytes));
                add(measured, parse, perEvent(() -> readLines(api, true), bodyBytes));
                add(measured, watcher, watcherPerEvent(api, settings));
            }
            return new Figures(median(socket), median(client), median(split), median(parse), median(watcher));
        }
    }

    /** Reads one response; returns the bytes it read (the layers that split lines: the bytes of the lines, newlines included). */
    @FunctionalInterface
    private interface Read {
        long run() throws Exception;
    }

    private double perEvent(Read read, long expectedBytes) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadCpuTime();
        long bytes = read.run();
        long nanos = threads.getCurrentThreadCpuTime() - before;
        if (bytes != expectedBytes) {
            throw new IllegalStateException("read " + bytes + " bytes, expected " + expectedBytes);
        }
        return nanos / 1000.0 / lines.size();
    }

    /** The raw bytes of the response, head and chunk framing included. */
    private long readSocket(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.getOutputStream().write("GET /api/v1/pods?watch=true HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            return drain(socket.getInputStream(), 64 * 1024);
        }
    }

    /** The body through the API client, read as the line reader reads it (16 KiB at a time), not split. */
    private long readBody(ApiClient api) throws IOException {
        try (ApiClient.WatchStream stream = api.watch("/api/v1/pods", Map.of("watch", "true"))) {
            return drain(stream.body(), 16 * 1024);
        }
    }

    private static long drain(InputStream in, int bufferSize) throws IOException {
        byte[] buffer = new byte[bufferSize];
        long bytes = 0;
        int read;
        while ((read = in.read(buffer)) > 0) {
            bytes += read;
        }
        return bytes;
    }

    private long readLines(ApiClient api, boolean parse) throws IOException, MalformedEventException {
        WatchLineParser parser = new WatchLineParser();
        try (ApiClient.WatchStream stream = api.watch("/api/v1/pods", Map.of("watch", "true"))) {
            WatchLineReader reader = new WatchLineReader(stream.body(), 16 * 1024 * 1024);
            long bytes = 0;
            byte[] line;
            while ((line = reader.nextLine()) != null) {
                if (parse) {
                    parser.parse(line);
                }
                bytes += line.length + 1;
            }
            return bytes;
        }
    }

    /**
     * The bridge's own {@link Watcher} on the same stream, into a sink that only counts: everything the
     * watch thread does for an event but wait on the publisher's queue (events, status, batches).
     */
    private double watcherPerEvent(ApiClient api, BridgeSettings settings) throws Exception {
        WatchTarget target = new WatchTarget("rl", new ApiResource("", "v1", "pods", "Pod", true), "", "", "");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // Taken on the watch thread as the last event arrives: after the stream ends the watcher reconnects and reads on.
        AtomicLong cpuAtLast = new AtomicLong();
        CountingSink counting = new CountingSink(lines.size(), total -> cpuAtLast.set(threads.getCurrentThreadCpuTime()));
        // Resumes at the first event's version, so it watches at once; the server's stream ends after the last.
        Watcher watcher = new Watcher(target, api, counting, settings.watch(), "1", Pauser.REAL);
        Thread thread = new Thread(watcher, "read-layers watch");
        thread.start();
        try {
            BridgeRun.await(() -> cpuAtLast.get() != 0, 600_000, "the watcher to hand on " + lines.size() + " events");
            return cpuAtLast.get() / 1000.0 / lines.size();
        } finally {
            watcher.stop();
            thread.interrupt();
            thread.join();
        }
    }

    private static void add(boolean measured, List<Double> figures, double figure) {
        if (measured) {
            figures.add(figure);
        }
    }

    private static double median(List<Double> figures) {
        List<Double> sorted = new ArrayList<>(figures);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** Answers every request with the same events, one chunk each, then ends the response and the connection. */
    private static final class ChunkedServer implements AutoCloseable {
        private static final byte[] HEAD = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        private static final byte[] END = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        private final ServerSocket server;
        private final long responseBytes;

        ChunkedServer(List<byte[]> lines) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            long bytes = HEAD.length + END.length;
            for (byte[] line : lines) {
                bytes += chunkSize(line).length + line.length + 2;
            }
            responseBytes = bytes;
            Thread acceptor = new Thread(() -> serve(lines), "read-layers-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        long responseBytes() {
            return responseBytes;
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        int port() {
            return server.getLocalPort();
        }

        /** A thread per connection: the client may hold one open while it opens the next. */
        private void serve(List<byte[]> lines) {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread connection = new Thread(() -> respond(socket, lines), "read-layers-connection");
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException e) {
                    if (!server.isClosed()) {
                        System.err.println("read layers: " + e.getMessage());
                    }
                }
            }
        }

        private static void respond(Socket socket, List<byte[]> lines) {
            try (socket) {
                socket.setSendBufferSize(64 * 1024);
                readHead(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                ByteArrayOutputStream pending = new ByteArrayOutputStream(96 * 1024);
                pending.write(HEAD);
                for (byte[] line : lines) {
                    pending.write(chunkSize(line));
                    pending.write(line);
                    pending.write('\r');
                    pending.write('\n');
                    if (pending.size() >= 64 * 1024) {
                        pending.writeTo(out);
                        pending.reset();
                    }
                }
                pending.write(END);
                pending.writeTo(out);
                out.flush();
            } catch (IOException e) {
                // The client went away: the Watcher layer stops its watch as soon as it has every event,
                // while it may already be reading the stream again.
            }
        }

        private static byte[] chunkSize(byte[] line) {
            return (Integer.toHexString(line.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        private static void readHead(InputStream in) throws IOException {
            int matched = 0;
            int b;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < end.length && (b = in.read()) >= 0) {
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
