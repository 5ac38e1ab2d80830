package io.kube2kafka.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.bridge.StartupProgress;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code /metrics} (Prometheus text format, by the Prometheus client's own handler), {@code /healthz}
 * (the process is alive: always 200) and {@code /readyz} (200 only while every cluster streams, every watch is open and the
 * last Kafka transaction succeeded; otherwise 503 naming what is not ready), on the JDK's HTTP server.
 *
 * <p>It starts before the bridge does ({@link #starting}), so a pod stuck at start-up has a {@code /readyz}
 * that says which step it waits on (discovery, topic creation, initTransactions, the checkpoint read).
 *
 * <p>Liveness is deliberately not readiness: a broker outage makes the bridge unready, but
 * restarting it would not help, so the kubelet should wait, not kill it.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusRegistry registry;
    private final StartupProgress progress;
    private volatile Bridge bridge;

    private OpsServer(HttpServer server, ExecutorService executor, PrometheusRegistry registry, StartupProgress progress) {
        this.server = server;
        this.executor = executor;
        this.registry = registry;
        this.progress = progress;
    }

    /**
     * Serves a bridge that has already started.
     *
     * @param port 0 for any free port
     */
    public static OpsServer start(String address, int port, Bridge bridge) throws IOException {
        StartupProgress started = new StartupProgress();
        started.reached(StartupProgress.Step.STARTED, "");
        OpsServer ops = starting(address, port, started);
        ops.serve(bridge);
        return ops;
    }

    /**
     * Serves from before {@link Bridge#start}: {@code /healthz} answers at once, {@code /readyz} is 503
     * naming the start-up step {@code progress} is at, {@code /metrics} has the JVM and the build
     * until {@link #serve} adds the bridge's own metrics.
     *
     * @param port 0 for any free port
     */
    public static OpsServer starting(String address, int port, StartupProgress progress) throws IOException {
        PrometheusRegistry registry = BridgeMetrics.registerProcess(new PrometheusRegistry());
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
        // Two threads: a slow scrape must not hold up a probe, and nothing here needs more.
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "kube2kafka-http");
            thread.setDaemon(true);
            return thread;
        });
        OpsServer ops = new OpsServer(server, executor, registry, progress);
        server.createContext("/metrics", new MetricsHandler(registry));
        server.createContext("/healthz", exchange -> respond(exchange, 200, "ok\n"));
        server.createContext("/readyz", exchange -> {
            Readiness readiness = ops.readiness();
            respond(exchange, readiness.ready() ? 200 : 503, readiness.describe());
        });
        server.createContext("/", exchange -> respond(exchange, 404, "kube2kafka: /metrics, /healthz, /readyz\n"));
        server.setExecutor(executor);
        server.start();
        log.info("serving /metrics, /healthz and /readyz on http://{}:{}", address, ops.port());
        return ops;
    }

    /** The bridge has started: its metrics join /metrics and /readyz follows its watches and publisher. */
    public synchronized void serve(Bridge started) {
        if (bridge != null) {
            throw new IllegalStateException("already serving a bridge");
        }
        BridgeMetrics.register(started, registry);
        bridge = started;
    }

    private Readiness readiness() {
        Bridge current = bridge;
        if (current == null) {
            return new Readiness(List.of(progress.describe()));
        }
        return Readiness.of(current.watchStatuses(), current.waitingClusters(), current.publisher().stats(), current.stopped().getNow(null));
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
