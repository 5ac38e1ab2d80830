package io.kube2kafka.watch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A silent API server never freezes a watch: neither before the response head nor in the middle of the stream. */
class WatchIdleGuardTest {
    // Long enough that connecting and sending the response head never take it on a loaded 2-core machine.
    private static final Duration IDLE = Duration.ofSeconds(2);

    /** Accepts one connection, optionally writes {@code answer}, then holds the socket open and silent until closed. */
    private static ServerSocket silentServer(String answer, CountDownLatch done) throws Exception {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            try (Socket socket = server.accept()) {
                if (answer != null) {
                    OutputStream out = socket.getOutputStream();
                    out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                done.await();
            } catch (Exception ignored) {
                // the test is over
            }
        });
        thread.setDaemon(true);
        thread.start();
        return server;
    }

    private static ApiClient client(ServerSocket server) {
        return new ApiClient(new ClusterConnection("http://127.0.0.1:" + server.getLocalPort(), () -> null, null, null, null), IDLE);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aServerThatNeverAnswersTheWatchRequestTimesOut() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        try (ServerSocket server = silentServer(null, done)) {
            long started = System.nanoTime();
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                    () -> client(server).watch("/api/v1/pods", Map.of("watch", "1")));
            assertTrue(e.getMessage().contains("watch.idle-timeout"), e.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(IDLE) >= 0, "not before the idle timeout");
        } finally {
            done.countDown();
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aStreamThatFallsSilentAfterAnEventTimesOutAfterTheEvent() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        String line = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"uid\":\"u1\",\"resourceVersion\":\"5\"}}}\n";
        String head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(line.length()) + "\r\n" + line + "\r\n";
        try (ServerSocket server = silentServer(head, done);
             ApiClient.WatchStream stream = client(server).watch("/api/v1/pods", Map.of("watch", "1"))) {
            WatchLineReader reader = new WatchLineReader(stream.body(), 1024);
            assertEquals(line.trim(), new String(reader.nextLine(), StandardCharsets.UTF_8), "the event before the silence is read");
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class, reader::nextLine);
            assertTrue(e.getMessage().contains("half-open"), e.getMessage());
        } finally {
            done.countDown();
        }
    }
}
