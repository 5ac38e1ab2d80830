package io.kube2kafka.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.SettingsLoader;
import io.kube2kafka.sim.Chunking;
import io.kube2kafka.sim.ExpiredWatchMode;
import io.kube2kafka.sim.ServerTransport;
import io.kube2kafka.sim.SimResource;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.WatchStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs the bridge in-process against a simulated API server and a real broker, with a cluster name
 * unique to the test so tests sharing a broker never see each other's topics or checkpoints.
 */
public final class BridgeHarness {
    private final EmbeddedKafkaBroker broker;
    private final SimulatedApiServer server;
    private final String cluster = "t" + UUID.randomUUID().toString().substring(0, 8);
    private final String extraHocon;

    /** @param extraHocon more settings inside kube2kafka { }, e.g. resources = [...] */
    public BridgeHarness(EmbeddedKafkaBroker broker, SimulatedApiServer server, String extraHocon) {
        this.broker = broker;
        this.server = server;
        this.extraHocon = extraHocon;
    }

    /**
     * The simulated cluster the end-to-end tests stream from, hostile as a real one can be: bookmarks
     * every 300 ms, every line cut into chunks at random points (reproducible from the seed), 410 as an
     * ERROR event inside a 200 stream; the standard resources and a custom resource, widgets.example.com.
     */
    public static SimulatedApiServer hostileCluster(long chunkSeed) {
        return hostileCluster(chunkSeed, SimulatedApiServer.builder());
    }

    /** {@link #hostileCluster(long)} served through {@code transport}, e.g. HTTP/2 over TLS. */
    public static SimulatedApiServer hostileCluster(long chunkSeed, ServerTransport transport) {
        return hostileCluster(chunkSeed, SimulatedApiServer.builder().transport(transport));
    }

    private static SimulatedApiServer hostileCluster(long chunkSeed, SimulatedApiServer.Builder builder) {
        SimulatedApiServer server = builder.bookmarkInterval(Duration.ofMillis(300))
                .chunking(Chunking.randomSplits(chunkSeed)).expiredWatch(ExpiredWatchMode.ERROR_EVENT).build().start();
        server.addStandardResources();
        server.addResource(new SimResource("example.com", "v1", "widgets", "Widget", true));
        return server;
    }

    public String cluster() {
        return cluster;
    }

    public BridgeSettings settings() throws Exception {
        String hocon = "kube2kafka {\n cluster = " + cluster + "\n http.port = -1\n"
                + " kubernetes.url = \"" + server.url() + "\"\n"
                + " kafka.bootstrap-servers = \"" + broker.bootstrapServers() + "\"\n"
                + " kafka.checkpoint-topic = " + cluster + ".checkpoints\n"
                + " watch { timeout = 5s, backoff-initial = 50ms, backoff-max = 1s, authorization-backoff = 30s }\n"
                + extraHocon + "\n}";
        return new SettingsLoader(Map.of()).from(ConfigFactory.parseString(hocon), new ArrayList<>());
    }

    public Bridge start() throws Exception {
        return start(Pauser.REAL);
    }

    public Bridge start(Pauser pauser) throws Exception {
        return Bridge.start(settings(), pauser);
    }

    /** Starts the bridge and waits until every watch is open. */
    public Bridge startWatching() throws Exception {
        Bridge bridge = start();
        awaitWatching(bridge);
        return bridge;
    }

    public static void awaitWatching(Bridge bridge) {
        Await.until(() -> bridge.watchStatuses().stream().allMatch(s -> s.state() == WatchStatus.State.WATCHING),
                Duration.ofSeconds(60), "every watch is open: " + bridge.watchStatuses().stream().map(s -> s.target() + "=" + s.state()).toList());
    }

    public String topic(String group, String resource) {
        return "k8s." + cluster + "." + group + "." + resource;
    }

    public TopicContents read(String group, String resource) {
        return TopicContents.read(broker.bootstrapServers(), topic(group, resource));
    }

    /** The cluster's live objects of a resource, uid to resourceVersion. */
    public Map<String, String> live(String resource) {
        Map<String, String> live = new LinkedHashMap<>();
        for (ObjectNode object : server.liveObjects(resource)) {
            live.put(object.path("metadata").path("uid").asText(), object.path("metadata").path("resourceVersion").asText());
        }
        return live;
    }

    /** Waits until the topic's compacted view equals the cluster's live objects, uid by uid and resourceVersion. */
    public void awaitTopicMatchesCluster(String serverResource, String group, String plural) {
        awaitTopicMatchesCluster(serverResource, group, plural, Duration.ofSeconds(60));
    }

    public void awaitTopicMatchesCluster(String serverResource, String group, String plural, Duration timeout) {
        Await.until(() -> read(group, plural).liveResourceVersions().equals(live(serverResource)), timeout,
                "the compacted view of " + topic(group, plural) + " equals the cluster's live " + serverResource);
    }

    public List<String> topics(String... groupAndResource) {
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < groupAndResource.length; i += 2) {
            topics.add(topic(groupAndResource[i], groupAndResource[i + 1]));
        }
        return topics;
    }
}
