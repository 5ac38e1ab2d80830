package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.net.ServerSocketFactory;

/**
 * A simulated Kubernetes API server that behaves like the real one on the wire: discovery,
 * paginated consistent lists, watches with bookmarks, selectors and 410 Expired, Status errors,
 * and faults that a real server only shows on a bad day (throttling, cut and half-open
 * connections, lines split across chunks anywhere, even inside a UTF-8 character).
 *
 * <p>By default it speaks HTTP/1.1 on raw sockets, one thread per connection, so that it controls
 * every chunk boundary and can cut a connection mid-chunk ({@link Http1Transport}); another
 * {@link ServerTransport} (the tests' HTTP/2 over TLS) serves the same API through
 * {@link Builder#transport}. It serves GET (and POST for access reviews); objects are changed through
 * this class's methods, which are thread-safe. Lists are sent with Content-Length; watch streams
 * are cut into chunks (frames) per the current {@link Chunking}.
 */
public final class SimulatedApiServer implements AutoCloseable {
  /** Who {@link #update(String, String, String, Consumer)} writes as: the controllers that change most objects. */
  public static final String DEFAULT_MANAGER = "kube-controller-manager";
  /** etcd's revision is never small in a real cluster; starting high catches "rv must be tiny" bugs. */
  private static final long INITIAL_RESOURCE_VERSION = 1000;

  private final ServerSettings settings;
  private final ServerTransport transport;
  private final ResourceRegistry registry = new ResourceRegistry();
  private final ClusterState state = new ClusterState(INITIAL_RESOURCE_VERSION);
  private final FaultPlan faults = new FaultPlan();
  private final Set<WatchSession> openWatches = ConcurrentHashMap.newKeySet();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final List<TooLargeAnswer> tooLargeAnswers = new CopyOnWriteArrayList<>();
  private final ApiHandler handler;
  private volatile boolean started;
  /** The server's time: creationTimestamp and managedFields times. Tests that need distinct seconds set it. */
  private final Clock clock;

  private SimulatedApiServer(Builder builder) {
    this.settings = new ServerSettings(builder.token, builder.chunking, builder.bookmarkInterval,
        builder.expiredWatch, builder.userName, builder.accessReviews, builder.tooLargeWait);
    this.transport = builder.transport != null ? builder.transport
        : new Http1Transport(builder.serverSocketFactory, builder.needClientAuth);
    this.clock = builder.clock;
    this.handler = new ApiHandler(registry, state, settings, faults, openWatches, requests,
        () -> "127.0.0.1:" + port(), tooLargeAnswers);
    seedKubeSystem();
  }

  /** Every cluster has kube-system from its first moment; GET /api/v1/namespaces/kube-system needs the standard resources. */
  private void seedKubeSystem() {
    state.seed(ResourceRegistry.NAMESPACES, "kube-system",
        ObjectTemplates.newObject(ResourceRegistry.NAMESPACES, null, "kube-system", Map.of(), now()));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds 127.0.0.1 on an ephemeral port and starts accepting; returns this for chaining. */
  public SimulatedApiServer start() {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    transport.start(handler);
    return this;
  }

  public URI url() {
    return URI.create(transport.scheme() + "://127.0.0.1:" + port());
  }

  public int port() {
    return transport.port();
  }

  // ---- resources and objects ----

  /** core/v1 pods, configmaps, secrets, namespaces, services, events; apps/v1 deployments; events.k8s.io/v1 events. */
  public SimulatedApiServer addStandardResources() {
    ResourceRegistry.standard().forEach(registry::add);
    return this;
  }

  public SimulatedApiServer addResource(SimResource resource) {
    registry.add(Objects.requireNonNull(resource, "resource"));
    return this;
  }

  /**
   * Removes a resource as deleting its CustomResourceDefinition does. The CRD's finalizer first deletes
   * every object (each watch sees its DELETED event; "customresourcecleanup.apiextensions.k8s.io" in
   * apiextensions-apiserver's pkg/controller/finalizer/crd_finalizer.go). Then the handler tears the
   * storage down (crdHandler.removeStorage_locked and tearDown in pkg/apiserver/customresource_handler.go),
   * which stops the watch cache: open watches end cleanly, discovery stops listing the resource, and
   * requests for it answer 404. {@link #addResource} installs it again.
   *
   * @param resource "widgets.example.com"
   */
  public SimulatedApiServer removeResource(String resource) {
    SimResource r = registry.resolve(resource);
    for (ObjectNode object : state.live(r)) {
      JsonNode metadata = object.path("metadata");
      state.delete(r, ClusterState.key(metadata.path("namespace").asText(null), metadata.path("name").asText()));
    }
    registry.remove(r);
    openWatches.stream().filter(session -> session.resource().equals(r)).forEach(WatchSession::endWithStorage);
    return this;
  }

  /**
   * Discovery lists only these verbs for {@code resource} ("componentstatuses" has no watch on a real
   * server, "tokenreviews" only create).
   */
  public SimulatedApiServer setVerbs(String resource, String... verbs) {
    registry.setVerbs(registry.resolve(resource), List.of(verbs));
    return this;
  }

  /**
   * Every request to {@code group}, its discovery document included, answers 503 ServiceUnavailable while
   * {@code unavailable}: an aggregated API (metrics.k8s.io, say) whose backend is down. The group stays in
   * /apis, as kube-aggregator keeps listing it.
   */
  public SimulatedApiServer setGroupUnavailable(String group, boolean unavailable) {
    registry.setUnavailable(group, unavailable);
    return this;
  }

  /**
   * Creates an object with realistic content.
   *
   * @param resource "pods", "deployments.apps", "widgets.example.com"
   * @param namespace required for namespaced resources, ignored (may be null) otherwise
   * @throws IllegalStateException if it already exists
   */
  public ObjectNode create(String resource, String namespace, String name, Map<String, String> labels) {
    SimResource r = registry.resolve(resource);
    String ns = namespaceFor(r, namespace);
    ObjectNode object = ObjectTemplates.newObject(r, ns, Objects.requireNonNull(name, "name"), labels == null ? Map.of() : labels, now());
    return state.create(r, ClusterState.key(ns, name), object);
  }

  /**
   * Changes an object in place through {@code change}, as {@link #DEFAULT_MANAGER} with an Update.
   *
   * @see #update(String, String, String, String, String, Consumer)
   */
  public ObjectNode update(String resource, String namespace, String name, Consumer<ObjectNode> change) {
    return update(resource, namespace, name, DEFAULT_MANAGER, FieldManager.UPDATE, change);
  }

  /**
   * Changes an object in place through {@code change}, written by field manager {@code manager}: the
   * identity fields (name, namespace, uid, creationTimestamp) survive whatever it does, a spec change
   * bumps generation, and the manager's managedFields entry gets the server's current time and the
   * fields it changed, as the API server's field manager records every write.
   *
   * @param manager the field manager, as a client sends it (?fieldManager=, or its user agent)
   * @param operation "Apply" (server-side apply) or "Update" (update and patch)
   * @throws java.util.NoSuchElementException if it does not exist
   */
  public ObjectNode update(String resource, String namespace, String name, String manager, String operation,
      Consumer<ObjectNode> change) {
    SimResource r = registry.resolve(resource);
    String ns = namespaceFor(r, namespace);
    return state.update(r, ClusterState.key(ns, name), current -> {
      ObjectNode before = current.deepCopy();
      change.accept(current);
      keepIdentity(before, current);
      FieldManager.recordWrite(before, current, manager, operation, r.apiVersion(), now());
      return current;
    });
  }

  /** @throws java.util.NoSuchElementException if it does not exist */
  public ObjectNode delete(String resource, String namespace, String name) {
    SimResource r = registry.resolve(resource);
    return state.delete(r, ClusterState.key(namespaceFor(r, namespace), name));
  }

  /** Deep copies of the current objects in key order, each with kind and apiVersion. */
  public List<ObjectNode> liveObjects(String resource) {
    return state.live(registry.resolve(resource));
  }

  public String currentResourceVersion() {
    return Long.toString(state.resourceVersion());
  }

  /**
   * Fast path for benchmarks: lists of {@code resource} (all namespaces, no selectors) return the
   * source's objects, written as each page is served, instead of the stored ones; watches are not
   * affected. Give its objects resourceVersions from {@link #reserveResourceVersions}, so a list's
   * resourceVersion is never older than an object in it.
   */
  public void serveRawList(String resource, RawListSource source) {
    handler.rawLists.put(registry.resolve(resource), source);
  }

  /**
   * Fast path for benchmarks: moves the resourceVersion counter on by {@code count} and returns the
   * first version skipped, for pre-generated watch lines to carry ({@link #streamRawLines}).
   */
  public long reserveResourceVersions(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, got " + count);
    }
    return state.reserveVersions(count);
  }

  /**
   * Fast path for benchmarks: sends pre-generated watch lines (JSON, each ending in a newline)
   * as they are on every open watch of {@code resource} that spans all namespaces, so the server
   * spends no time serialising. Line i must carry resourceVersion {@code firstResourceVersion + i}
   * from {@link #reserveResourceVersions}. The lines change no object and are not in the history:
   * selectors are not applied, and a list or a resumed watch does not see them.
   *
   * @return how many watches the lines were queued on
   */
  public int streamRawLines(String resource, long firstResourceVersion, List<byte[]> lines) {
    for (byte[] line : lines) {
      if (line.length == 0 || line[line.length - 1] != '\n') {
        throw new IllegalArgumentException("every raw watch line must end with a newline");
      }
    }
    return state.pushRaw(registry.resolve(resource), firstResourceVersion, List.copyOf(lines));
  }

  /** Forgets all history up to now: a watch or continue token from an older version gets 410 Expired. */
  public void compact() {
    state.compact();
  }

  // ---- the cluster's identity, backups and restores ----

  /** The uid of the kube-system namespace: the identity many tools give a cluster. */
  public String clusterUid() {
    return state.get(ResourceRegistry.NAMESPACES, "kube-system").path("metadata").path("uid").asText();
  }

  /** The whole cluster as it is now, as an etcd snapshot holds it. */
  public ClusterBackup backup() {
    return new ClusterBackup(state.backup());
  }

  /**
   * Restores the cluster from {@code backup}, as an operator restores etcd from a snapshot: every
   * object and the resourceVersion are as they were then, every later change is gone, and the
   * counter continues from the backup's version, so later changes reuse versions the lost history
   * had already used. Open connections are closed, as the API servers restart after a restore. The
   * kube-system uid is the backup's: it is the same cluster.
   */
  public void restore(ClusterBackup backup) {
    state.restore(backup.state());
    transport.closeConnections();
  }

  /**
   * Rebuilds the cluster from nothing under the same address: no objects, a new kube-system uid (a
   * new identity), and the resourceVersion back at the start, so the new cluster's versions overlap
   * the old one's. Open connections are closed.
   */
  public void rebuild() {
    state.restore(ClusterState.empty(INITIAL_RESOURCE_VERSION));
    seedKubeSystem();
    transport.closeConnections();
  }

  /**
   * From now on the server answers like an API server whose watch cache lags behind at
   * {@code resourceVersion} (behind a load balancer, the bridge may meet it after a fresher one):
   * a list at a newer version waits for it, then is refused as too large (so is a WatchList); a plain
   * watch from a newer version is accepted and stays silent, as the watch cache's is.
   * {@link #catchUp} ends it.
   */
  public void lagBehind(String resourceVersion) {
    state.lagAt(Long.parseLong(resourceVersion));
  }

  public void catchUp() {
    state.catchUp();
  }

  /** Every list or watch refused so far because it asked for a resourceVersion the server had not reached. */
  public List<TooLargeAnswer> tooLargeAnswers() {
    return List.copyOf(tooLargeAnswers);
  }

  // ---- behaviour and faults ----

  public void setChunking(Chunking chunking) {
    settings.chunking = Objects.requireNonNull(chunking, "chunking");
  }

  /**
   * Called each time a watch has flushed the last byte of an object event (not bookmarks or
   * errors); {@link EventFlushListener#NONE} turns it off. For latency benchmarks.
   */
  public void onEventFlushed(EventFlushListener listener) {
    settings.flushListener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * The WatchList feature gate. On (the default, as in Kubernetes 1.34), a watch with sendInitialEvents=true
   * streams the objects, an annotated bookmark, then the changes; off, it is refused with 422 Invalid
   * exactly as kube-apiserver refuses it.
   */
  public void setWatchList(boolean enabled) {
    settings.watchList = enabled;
  }

  /**
   * Aggregated discovery. On (the default, as since Kubernetes 1.27), /api and /apis answer a client that
   * asks for {@code application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList} with every group
   * version's resources in one document; off, only the legacy documents, as an API server before 1.26.
   */
  public void setAggregatedDiscovery(boolean enabled) {
    settings.aggregatedDiscovery = enabled;
  }

  /**
   * The next {@code count} WatchList streams end cleanly after at most {@code afterInitialEvents} of their
   * initial ADDED events, before the bookmark that would complete their list: a list that only looks
   * complete (kubernetes #140890).
   */
  public void endWatchListsBeforeBookmark(int count, int afterInitialEvents) {
    faults.endWatchListsBeforeBookmark(count, afterInitialEvents);
  }

  /** null turns authentication off. */
  public void setToken(String token) {
    settings.token = token;
  }

  /**
   * From now on a request authenticates only with one of these client certificates (or the token), checked
   * per request as a real API server does: a connection that presented another certificate stays open and
   * its requests get 401. Pair it with a TLS layer that requests client certificates without requiring
   * a particular CA, as the API server's does.
   */
  public void acceptOnlyClientCertificates(X509Certificate... certificates) {
    settings.acceptedClientCertificates = Set.of(certificates);
  }

  /** Reads of this resource ("secrets", "deployments.apps") answer 403 Forbidden from now on. */
  public void forbid(String resource) {
    settings.forbidden.add(registry.resolve(resource).qualifiedName());
  }

  public void allow(String resource) {
    settings.forbidden.remove(registry.resolve(resource).qualifiedName());
  }

  /** The next {@code count} requests, whatever their path, answer {@code status} with a Status body. */
  public void failNextRequests(int count, int status, String retryAfter) {
    faults.failNext(count, status, retryAfter);
  }

  /** Every open watch writes its next line only halfway, mid-chunk, then closes with no terminating chunk. */
  public void dropWatchConnectionsMidLine() {
    openWatches.forEach(WatchSession::cutNextLine);
  }

  /**
   * Every open watch receives {@code line} (a newline is appended) exactly as given: a malformed
   * JSON line, an unknown event type, an event without a uid.
   */
  public void injectWatchLine(String line) {
    byte[] bytes = (line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    openWatches.forEach(session -> session.injectRawLine(bytes));
  }

  /**
   * Every open watch receives the ERROR event kube-apiserver sends inside a 200 stream when the watch's
   * resourceVersion has expired: a 410 Expired Status ({@link Status#tooOldResourceVersion}); the
   * stream stays open, as a client must not rely on the server ending it.
   */
  public void injectExpiredError() {
    long current = Long.parseLong(currentResourceVersion());
    ObjectNode line = Json.object();
    line.put("type", "ERROR");
    line.set("object", Status.tooOldResourceVersion(current, current));
    openWatches.forEach(session -> session.injectRawLine(Json.line(line)));
  }

  /** Every change since the server started, compaction notwithstanding, in resourceVersion order. */
  public List<Change> changes(String resource) {
    return state.changes(registry.resolve(resource));
  }

  /**
   * Every open watch goes quiet (no events, no bookmarks) with its socket left open: a half-open
   * connection on HTTP/1.1. On HTTP/2 only the watch's stream goes quiet; the shared connection still
   * answers PINGs (freeze the connection itself with a relay to test a dead one).
   */
  public void silenceWatchConnections() {
    openWatches.forEach(WatchSession::silence);
  }

  /** Watches currently streaming or silenced; a watch whose client left is noticed at its next write. */
  public int openWatchCount() {
    return openWatches.size();
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public void clearRequests() {
    requests.clear();
  }

  /** Closes the listener and every connection, and waits briefly for all threads to end. */
  @Override
  public void close() {
    transport.close();
  }

  private String now() {
    return ObjectTemplates.serverTime(clock.instant());
  }

  private static String namespaceFor(SimResource resource, String namespace) {
    if (!resource.namespaced()) {
      return null;
    }
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException(resource.qualifiedName() + " are namespaced: a namespace is required");
    }
    return namespace;
  }

  private static void keepIdentity(ObjectNode before, ObjectNode after) {
    ObjectNode was = (ObjectNode) before.get("metadata");
    JsonNode metadataNode = after.get("metadata");
    ObjectNode metadata = metadataNode instanceof ObjectNode m ? m : after.putObject("metadata");
    for (String field : new String[] {"name", "namespace", "uid", "creationTimestamp"}) {
      if (was.has(field)) metadata.set(field, was.get(field)); else metadata.remove(field);
    }
    after.set("kind", before.get("kind"));
    after.set("apiVersion", before.get("apiVersion"));
    long generation = was.path("generation").asLong(1);
    boolean specChanged = !Objects.equals(before.get("spec"), after.get("spec"));
    metadata.put("generation", specChanged ? generation + 1 : generation);
  }

  /** Options fixed at construction. Defaults: no auth, bookmarks every 60 s, whole-line chunks, ERROR_EVENT. */
  public static final class Builder {
    private String token;
    private Duration bookmarkInterval = Duration.ofSeconds(60);
    private Chunking chunking = Chunking.wholeLines();
    private ExpiredWatchMode expiredWatch = ExpiredWatchMode.ERROR_EVENT;
    private ServerSocketFactory serverSocketFactory = ServerSocketFactory.getDefault();
    private boolean needClientAuth;
    private ServerTransport transport;
    private String userName = "system:serviceaccount:kube2kafka:kube2kafka";
    private boolean accessReviews = true;
    private Duration tooLargeWait = Duration.ofSeconds(3);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The server's clock, for creationTimestamp and managedFields times. The API server keeps those in
     * whole seconds, so two writes in one second carry the same time; a test that needs writes apart
     * moves its own clock.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long a list or watch at a resourceVersion the server has not reached waits for it before it
     * is refused as too large. The default is the watch cache's blockTimeout, 3 s; tests shorten it.
     */
    public Builder tooLargeResourceVersionWait(Duration wait) {
      if (wait == null || wait.isNegative()) {
        throw new IllegalArgumentException("tooLargeResourceVersionWait must not be negative, got " + wait);
      }
      this.tooLargeWait = wait;
      return this;
    }

    /** Required bearer token; null means no authentication. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** How often a watch that asked for bookmarks gets one while idle. */
    public Builder bookmarkInterval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("bookmarkInterval must be positive, got " + interval);
      }
      this.bookmarkInterval = interval;
      return this;
    }

    public Builder chunking(Chunking chunking) {
      this.chunking = Objects.requireNonNull(chunking, "chunking");
      return this;
    }

    public Builder expiredWatch(ExpiredWatchMode mode) {
      this.expiredWatch = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** E.g. an SSLServerSocketFactory for TLS; the URL scheme then becomes https. */
    public Builder serverSocketFactory(ServerSocketFactory factory) {
      this.serverSocketFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * TLS only: the handshake fails unless the client presents a certificate that the factory's trust
     * managers accept, so every request that gets through is authenticated by its certificate.
     */
    public Builder needClientAuth(boolean need) {
      this.needClientAuth = need;
      return this;
    }

    /**
     * Serves through {@code transport} instead of HTTP/1.1 on raw sockets; {@link #serverSocketFactory}
     * and {@link #needClientAuth} then do not apply (the transport has its own TLS settings).
     */
    public Builder transport(ServerTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** The user named in 403 messages, as RBAC would. */
    public Builder userName(String userName) {
      this.userName = Objects.requireNonNull(userName, "userName");
      return this;
    }

    /**
     * Whether the server serves authorization.k8s.io, whose SelfSubjectAccessReviews answer "may I
     * list/watch this?" from the same rules as {@link SimulatedApiServer#forbid}. Every real API
     * server does; off, for testing a client's fallback.
     */
    public Builder accessReviews(boolean serve) {
      this.accessReviews = serve;
      return this;
    }

    public SimulatedApiServer build() {
      return new SimulatedApiServer(this);
    }
  }
}
