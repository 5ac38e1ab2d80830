package io.kube2kafka.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A single-node Apache Kafka broker (KRaft, combined broker + controller) running inside this JVM.
 *
 * <p>It is what {@code run} uses when no {@code kafka.bootstrap-servers} is configured, what the demo
 * uses, and the real broker the test suite runs against (no Docker engine is needed). It is formatted
 * on first start and keeps its data in {@code dataDir}, so a restart finds its topics again.
 *
 * <p>Replication factors and minimum ISR are 1 because there is exactly one node; the transaction
 * log would otherwise never become available and every transactional producer would hang.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> extraConfig;
    private KafkaRaftServer server;

    /**
     * @param port the client port; 0 picks a free one
     * @param extraConfig broker properties that override the defaults (e.g. retention for tests)
     */
    public EmbeddedKafkaBroker(Path dataDir, int port, Map<String, String> extraConfig) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = port == 0 ? freePort() : port;
        this.controllerPort = freePort();
        this.extraConfig = Map.copyOf(extraConfig);
    }

    public EmbeddedKafkaBroker start() throws IOException {
        Path logDir = dataDir.resolve("log");
        Files.createDirectories(logDir);
        KafkaConfig config = new KafkaConfig(brokerProperties(logDir), false);
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(logDir);
        }
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return this;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    private Map<String, String> brokerProperties(Path logDir) {
        Map<String, String> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // The bridge creates its topics itself; auto-creation would hide a missing create.
        props.put("auto.create.topics.enable", "false");
        // Compaction on the checkpoint and object topics should be visible within a demo's lifetime.
        props.put("log.cleaner.backoff.ms", "1000");
        props.putAll(extraConfig);
        return props;
    }

    private void format(Path logDir) throws IOException {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .setDirectories(java.util.List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IOException("cannot format the embedded Kafka broker's data directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1", e);
        }
    }
}
