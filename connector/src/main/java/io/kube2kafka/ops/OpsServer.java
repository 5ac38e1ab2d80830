package io.kube2kafka.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kube2kafka.bridge.Bridge;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code /metrics} (Prometheus text format, by the Prometheus client's own handler), {@code /healthz}
 * (the process is alive: always 200) and {@code /readyz} (200 only while every cluster streams, every watch is open and the
 * last Kafka transaction succeeded; otherwise 503 naming what is not ready), on the JDK's HTTP server.
 *
 * <p>Liveness is deliberately not readiness: a broker outage makes the bridge unready, but
 * restarting it would not help, so the kubelet should wait, not kill it.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param port 0 for any free port
     */
    public static OpsServer start(String address, int port, Bridge bridge) throws IOException {
        PrometheusRegistry registry = BridgeMetrics.register(bridge, BridgeMetrics.registerProcess(new PrometheusRegistry()));
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
        server.createContext("/metrics", new MetricsHandler(registry));
        server.createContext("/healthz", exchange -> respond(exchange, 200, "ok\n"));
        server.createContext("/readyz", exchange -> {
            Readiness readiness = Readiness.of(bridge.watchStatuses(), bridge.waitingClusters(), bridge.publisher().stats(),
                    bridge.stopped().getNow(null));
            respond(exchange, readiness.ready() ? 200 : 503, readiness.describe());
        });
        server.createContext("/", exchange -> respond(exchange, 404, "kube2kafka: /metrics, /healthz, /readyz\n"));
        // Two threads: a slow scrape must not hold up a probe, and nothing here needs more.
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "kube2kafka-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        OpsServer ops = new OpsServer(server, executor);
        log.info("serving /metrics, /healthz and /readyz on http://{}:{}", address, ops.port());
        return ops;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
