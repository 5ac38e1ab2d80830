package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Answers one request the way the API server would: injected failures first, then
 * authentication, then routing to discovery, get, list or watch, with authorization per resource.
 */
final class ApiHandler {
  /** The real server picks a random watch length in [1800 s, 3600 s) when none is asked for. */
  private static final Duration DEFAULT_WATCH_TIMEOUT = Duration.ofMinutes(30);

  private final ResourceRegistry registry;
  private final ClusterState state;
  private final ServerSettings settings;
  private final FaultPlan faults;
  private final Set<WatchSession> openWatches;
  private final List<RecordedRequest> requestLog;
  private final Supplier<String> serverAddress;
  private final List<TooLargeAnswer> tooLargeAnswers;
  /** Benchmarks' bulk lists ({@link SimulatedApiServer#serveRawList}). */
  final RawLists rawLists = new RawLists();

  ApiHandler(ResourceRegistry registry, ClusterState state, ServerSettings settings, FaultPlan faults,
      Set<WatchSession> openWatches, List<RecordedRequest> requestLog, Supplier<String> serverAddress,
      List<TooLargeAnswer> tooLargeAnswers) {
    this.tooLargeAnswers = tooLargeAnswers;
    this.registry = registry;
    this.state = state;
    this.settings = settings;
    this.faults = faults;
    this.openWatches = openWatches;
    this.requestLog = requestLog;
    this.serverAddress = serverAddress;
  }

  /** @return whether the connection may serve another request */
  boolean handle(HttpRequest request, ResponseWriter out) throws IOException, InterruptedException {
    return handle(request, out, null);
  }

  /**
   * @param clientCertificate what the caller presented in the TLS handshake, or null
   * @return whether the connection may serve another request
   */
  boolean handle(HttpRequest request, ResponseWriter out, X509Certificate clientCertificate)
      throws IOException, InterruptedException {
    requestLog.add(request.recorded());
    FaultPlan.Failure failure = faults.take();
    if (failure != null) {
      Map<String, String> headers = failure.retryAfter() == null ? Map.of() : Map.of("Retry-After", failure.retryAfter());
      String message = failure.code() == 429 ? "Too many requests, please try again later." : "injected failure";
      out.json(failure.code(), Status.forCode(failure.code(), message), headers);
      return true;
    }
    if (!authenticated(request, clientCertificate)) {
      out.json(401, Status.failure(401, "Unauthorized", "Unauthorized"));
      return true;
    }
    if (settings.accessReviews && request.path().equals(AccessReviews.PATH) && request.method().equals("POST")) {
      try {
        out.json(201, AccessReviews.review(request.body(), settings.forbidden));
      } catch (IllegalArgumentException e) {
        out.json(400, Status.failure(400, "BadRequest", e.getMessage()));
      }
      return true;
    }
    if (!request.method().equals("GET")) {
      out.json(405, Status.failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"));
      return true;
    }
    return route(request, out);
  }

  /**
   * A bearer token or a client certificate, either one, as the API server's union of authenticators. The
   * certificate is judged per request, not by the TLS layer: the API server only requests one in the
   * handshake (tls.RequestClientCert in k8s.io/apiserver/pkg/server/secure_serving.go) and its x509
   * authenticator verifies it for each request, so a connection whose certificate is no longer accepted
   * stays open and gets 401s.
   */
  private boolean authenticated(HttpRequest request, X509Certificate clientCertificate) {
    String token = settings.token;
    Set<X509Certificate> certificates = settings.acceptedClientCertificates;
    if (token == null && certificates == null) {
      return true;
    }
    return (token != null && ("Bearer " + token).equals(request.headers().get("authorization")))
        || (certificates != null && clientCertificate != null && certificates.contains(clientCertificate));
  }

  private boolean route(HttpRequest request, ResponseWriter out) throws IOException, InterruptedException {
    List<String> s = Arrays.stream(request.path().split("/")).filter(p -> !p.isEmpty()).toList();
    String first = s.isEmpty() ? "" : s.get(0);
    if (s.size() == 1) {
      switch (first) {
        case "version" -> out.json(200, Discovery.version());
        case "healthz", "livez", "readyz" -> out.text(200, "ok");
        case "api" -> {
          if (settings.aggregatedDiscovery && AggregatedDiscovery.wanted(request)) {
            out.json(200, AggregatedDiscovery.of(Map.of("", List.of("v1")), this::servedResourceList), AggregatedDiscovery.HEADERS);
          } else {
            out.json(200, Discovery.apiVersions(serverAddress.get()));
          }
        }
        case "apis" -> {
          ObjectNode groups = Discovery.groupList(registry.all());
          if (settings.accessReviews) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) groups.get("groups")).add(AccessReviews.groupEntry());
          }
          if (settings.aggregatedDiscovery && AggregatedDiscovery.wanted(request)) {
            out.json(200, AggregatedDiscovery.of(AggregatedDiscovery.versionsOf(groups), this::servedResourceList),
                AggregatedDiscovery.HEADERS);
          } else {
            out.json(200, groups);
          }
        }
        default -> notFound(out);
      }
      return true;
    }
    if (first.equals("api") && s.size() >= 2) {
      return groupVersion("", s.get(1), s.subList(2, s.size()), request, out);
    }
    if (settings.accessReviews && first.equals("apis") && s.get(1).equals(AccessReviews.GROUP) && s.size() <= 3) {
      if (s.size() == 2) {
        out.json(200, AccessReviews.groupDocument());
      } else if (s.get(2).equals(AccessReviews.VERSION)) {
        out.json(200, AccessReviews.resourceList());
      } else {
        notFound(out);
      }
      return true;
    }
    if (first.equals("apis") && s.size() == 2) {
      ObjectNode group = Discovery.groupOrNull(registry.all(), s.get(1));
      if (group == null) notFound(out); else out.json(200, group);
      return true;
    }
    if (first.equals("apis") && s.size() >= 3) {
      return groupVersion(s.get(1), s.get(2), s.subList(3, s.size()), request, out);
    }
    notFound(out);
    return true;
  }

  /** What /api/{version} or /apis/{group}/{version} serves, or null for a group whose API server does not answer. */
  private ObjectNode servedResourceList(String group, String version) {
    if (settings.accessReviews && group.equals(AccessReviews.GROUP) && version.equals(AccessReviews.VERSION)) {
      return AccessReviews.resourceList();
    }
    return registry.isUnavailable(group) ? null : Discovery.resourceList(registry, group, version);
  }

  private boolean groupVersion(String group, String version, List<String> rest, HttpRequest request,
      ResponseWriter out) throws IOException, InterruptedException {
    if (!registry.servesGroupVersion(group, version)) {
      notFound(out);
      return true;
    }
    if (registry.isUnavailable(group)) {
      // What kube-aggregator answers for an APIService whose backend does not respond, discovery included.
      out.json(503, Status.failure(503, "ServiceUnavailable", "the server is currently unable to handle the request"));
      return true;
    }
    if (rest.isEmpty()) {
      out.json(200, Discovery.resourceList(registry, group, version));
      return true;
    }
    String namespace = null;
    String name = null;
    String plural;
    boolean inNamespace = rest.size() >= 3 && rest.get(0).equals("namespaces");
    if (inNamespace && rest.size() <= 4) {
      namespace = rest.get(1);
      plural = rest.get(2);
      name = rest.size() == 4 ? rest.get(3) : null;
    } else if (rest.size() <= 2) {
      plural = rest.get(0);
      name = rest.size() == 2 ? rest.get(1) : null;
    } else {
      notFound(out);
      return true;
    }
    Optional<SimResource> found = registry.find(group, version, plural);
    if (found.isEmpty() || (inNamespace && !found.get().namespaced())
        || (!inNamespace && name != null && found.get().namespaced())) {
      notFound(out);
      return true;
    }
    SimResource resource = found.get();
    boolean watch = request.flag("watch");
    String verb = watch ? "watch" : name != null ? "get" : "list";
    if (settings.forbidden.contains(resource.qualifiedName())) {
      out.json(403, forbidden(resource, verb, namespace, name));
      return true;
    }
    ObjectFilter filter;
    try {
      String fieldSelector = request.param("fieldSelector");
      if (name != null && watch) { // watching one object is a watch with a name field selector
        fieldSelector = "metadata.name=" + name + (fieldSelector == null ? "" : "," + fieldSelector);
      }
      filter = ObjectFilter.parse(request.param("labelSelector"), fieldSelector);
    } catch (IllegalArgumentException e) {
      out.json(400, Status.failure(400, "BadRequest", e.getMessage()));
      return true;
    }
    if (watch) {
      return watch(resource, namespace, filter, request, out);
    }
    if (name != null) {
      get(resource, namespace, name, out);
    } else if (!tooLargeForList(request, out)) {
      list(resource, namespace, filter, request, out);
    }
    return true;
  }

  /**
   * A list at a resourceVersion the server has not reached waits for it up to the watch cache's
   * blockTimeout, then is refused with 504 (waitUntilFreshAndList returns
   * NewTooLargeResourceVersionError, k8s.io/apiserver/pkg/storage/cacher/watch_cache.go). The
   * Retry-After header is what the apiserver writes for any Status with retryAfterSeconds.
   * Without a resourceVersion, or with "0", the list is served as it is: a consistent read or "any".
   *
   * @return true when the list was refused
   */
  private boolean tooLargeForList(HttpRequest request, ResponseWriter out) throws IOException, InterruptedException {
    String version = request.param("resourceVersion");
    if (version == null || version.equals("0") || request.param("continue") != null) {
      return false;
    }
    long wanted;
    try {
      wanted = Long.parseLong(version);
    } catch (NumberFormatException e) {
      out.json(400, Status.failure(400, "BadRequest", "invalid resourceVersion: " + version));
      return true;
    }
    long current = state.awaitServedVersion(wanted, settings.tooLargeWait);
    if (current >= wanted) {
      return false;
    }
    tooLargeAnswers.add(new TooLargeAnswer(false, request.path(), wanted, current));
    out.json(504, Status.tooLargeResourceVersion(wanted, current), Map.of("Retry-After", "1"));
    return true;
  }

  private void get(SimResource resource, String namespace, String name, ResponseWriter out) throws IOException {
    ObjectNode object = state.get(resource, ClusterState.key(namespace, name));
    if (object == null) {
      out.json(404, Status.failure(404, "NotFound", resource.qualifiedName() + " \"" + name + "\" not found",
          Status.details(name, resource.group(), resource.plural())));
    } else {
      out.json(200, object);
    }
  }

  private void list(SimResource resource, String namespace, ObjectFilter filter, HttpRequest request, ResponseWriter out)
      throws IOException {
    try {
      if (rawLists.serve(resource, namespace, filter, request, state, out)) {
        return;
      }
      int limit = request.param("limit") == null ? 0 : Integer.parseInt(request.param("limit"));
      out.json(200, ListPage.build(state, resource, namespace, filter, Math.max(0, limit), request.param("continue")));
    } catch (NumberFormatException e) {
      out.json(400, Status.failure(400, "BadRequest", "invalid limit: " + request.param("limit")));
    } catch (IllegalArgumentException e) {
      out.json(400, Status.failure(400, "BadRequest", e.getMessage()));
    } catch (ResourceExpiredException e) {
      out.json(410, Status.failure(410, "Expired", "The provided continue parameter is too old to display a "
          + "consistent list result. You can start a new list without the continue parameter, or use the "
          + "continue token in this response to retrieve the remainder of the results. Continuing with the "
          + "provided token results in an inconsistent list - objects that were created, modified, or deleted "
          + "between the time the first chunk was returned and now may show up in the list."));
    }
  }

  /**
   * The watch options kube-apiserver validates (validateWatchOptions in
   * k8s.io/apimachinery/pkg/apis/meta/internalversion/validation/validation.go), in its words.
   */
  private List<Status.FieldError> watchOptionErrors(HttpRequest request) {
    String sendInitialEvents = request.param("sendInitialEvents");
    String match = request.param("resourceVersionMatch");
    List<Status.FieldError> errors = new ArrayList<>();
    if (sendInitialEvents != null) {
      if (!"NotOlderThan".equals(match)) {
        errors.add(new Status.FieldError("resourceVersionMatch", "Forbidden",
            "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan", "FieldValueForbidden"));
      }
      if (!settings.watchList) {
        errors.add(new Status.FieldError("sendInitialEvents", "Forbidden",
            "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled", "FieldValueForbidden"));
      }
    }
    if (match != null) {
      if (sendInitialEvents == null) {
        errors.add(new Status.FieldError("resourceVersionMatch", "Forbidden",
            "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided", "FieldValueForbidden"));
      }
      if (!match.equals("NotOlderThan")) {
        errors.add(new Status.FieldError("resourceVersionMatch", "Unsupported value: \"" + match + "\"", "supported values: \"NotOlderThan\"",
            "FieldValueNotSupported"));
      }
    }
    return errors;
  }

  private boolean watch(SimResource resource, String namespace, ObjectFilter filter, HttpRequest request,
      ResponseWriter out) throws IOException, InterruptedException {
    List<Status.FieldError> invalid = watchOptionErrors(request);
    if (!invalid.isEmpty()) {
      out.json(422, Status.invalidListOptions(invalid));
      return true;
    }
    // sendInitialEvents=true (WatchList, KEP-3157): the objects as ADDED events, then a bookmark annotated
    // k8s.io/initial-events-end carrying the version they show, then the changes. With resourceVersionMatch
    // NotOlderThan the version is a lower bound, waited for like a watch's; unset, it is a consistent read.
    boolean initialEvents = request.flag("sendInitialEvents");
    Long from;
    Duration timeout;
    try {
      String version = request.param("resourceVersion");
      from = version == null || version.equals("0") ? null : Long.parseLong(version);
      String seconds = request.param("timeoutSeconds");
      timeout = seconds == null ? DEFAULT_WATCH_TIMEOUT : Duration.ofSeconds(Long.parseLong(seconds));
    } catch (NumberFormatException e) {
      out.json(400, Status.failure(400, "BadRequest", "invalid resourceVersion or timeoutSeconds: " + e.getMessage()));
      return true;
    }
    if (from != null && initialEvents) {
      // With sendInitialEvents the cacher waits for the watch cache to reach the version
      // (waitUntilWatchCacheFreshAndForceAllEvents -> waitUntilFreshAndBlock, up to 3 s) and then, since the
      // request has passed authentication and parsing, answers "with a watch event of type ERROR, rather than a
      // directly returned error" (Cacher.Watch: return newErrWatcher(err), nil;
      // k8s.io/apiserver/pkg/storage/cacher/cacher.go).
      long current = state.awaitServedVersion(from, settings.tooLargeWait);
      if (current < from) {
        tooLargeAnswers.add(new TooLargeAnswer(true, request.path(), from, current));
        out.startStream();
        new WatchSession(state, resource, filter, null, timeout, () -> settings.chunking, () -> settings.flushListener,
            out, from).writeErrorAndEnd(Status.tooLargeResourceVersion(from, current));
        return true;
      }
    }
    // A plain watch from a version the watch cache has not reached is accepted and stays silent: the cacher
    // does not wait for it, getAllEventsSinceLocked has no upper bound (it binary-searches for the first
    // event newer than the version and finds none), and the cacheWatcher drops every event and bookmark
    // not newer than the version it started from (cache_watcher.go). Once the cluster's counter passes
    // the version, events flow again (watch_cache.go, k8s.io/apiserver/pkg/storage/cacher).
    ObjectNode rawRefusal = initialEvents ? rawLists.refusal(resource, namespace, filter) : null;
    if (rawRefusal != null) {
      out.json(400, rawRefusal);
      return true;
    }
    // A benchmark's bulk: its objects are written first, then the store's (none) and the bookmark at the
    // version the raw pages show too, the store's current one.
    RawLists.InitialEvents rawInitialEvents = initialEvents ? rawLists.initialEvents(resource) : null;
    Duration bookmarks = request.flag("allowWatchBookmarks") ? settings.bookmarkInterval : null;
    if (initialEvents) {
      from = null; // the initial events show the current state, which is not older than the version asked for
    }
    WatchSession session = new WatchSession(state, resource, filter, bookmarks, timeout,
        () -> settings.chunking, () -> settings.flushListener, out, from == null ? -1 : from);
    int endAfter = initialEvents ? faults.takeWatchListEnd() : -1;
    if (endAfter >= 0) {
      session.endBeforeInitialEventsEnd(endAfter);
    }
    ClusterState.Subscription subscription;
    try {
      subscription = state.subscribe(resource, namespace, from, initialEvents, session.queue());
    } catch (ResourceExpiredException e) {
      ObjectNode status = Status.tooOldResourceVersion(e.requested, e.oldest);
      if (settings.expiredWatch == ExpiredWatchMode.HTTP_410) {
        out.json(410, status);
      } else {
        out.startStream();
        session.writeErrorAndEnd(status);
      }
      return true;
    }
    openWatches.add(session);
    try {
      out.startStream();
      if (rawInitialEvents != null && !session.writeInitialEvents(rawInitialEvents)) {
        return false;
      }
      return session.stream();
    } finally {
      openWatches.remove(session);
      state.unsubscribe(subscription);
    }
  }

  private ObjectNode forbidden(SimResource resource, String verb, String namespace, String name) {
    String scope = namespace == null ? "at the cluster scope" : "in the namespace \"" + namespace + "\"";
    String message = resource.qualifiedName() + (name == null ? "" : " \"" + name + "\"") + " is forbidden: User \""
        + settings.userName + "\" cannot " + verb + " resource \"" + resource.plural() + "\" in API group \""
        + resource.group() + "\" " + scope;
    return Status.failure(403, "Forbidden", message, Status.details(name, resource.group(), resource.plural()));
  }

  private static void notFound(ResponseWriter out) throws IOException {
    out.json(404, Status.failure(404, "NotFound", "the server could not find the requested resource",
        Json.object().set("causes", Json.array().add(Json.object().put("reason", "UnexpectedServerResponse")
            .put("message", "404 page not found")))));
  }

}
