package io.kube2kafka.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HTTP to one API server: HTTP/2 when the server offers it over TLS (as kube-apiserver does), else
 * HTTP/1.1. OkHttp does the connection pooling (keep-alive across list pages; one multiplexed HTTP/2
 * connection for every request and watch), TLS, chunked decoding and HTTP/2 framing; this class
 * adds the bearer token, turns error responses into {@link ApiException}s and ends watches that
 * fall silent ({@link WatchIdleGuard}).
 *
 * <p>A connection that goes silent (no bytes, no FIN: a load balancer failover, a crashed node) must
 * be found and never reused. On HTTP/1.1 each watch has its own connection, and cancelling a silent
 * watch closes it. On HTTP/2 cancelling only resets the stream: the dead connection stayed pooled
 * and every retry went back onto it, forever. Two mechanisms close that hole:
 * <ul>
 *   <li>HTTP/2 PINGs every {@code pingInterval} (OkHttp's {@code pingInterval}): a PING still
 *       unanswered when the next is due fails the connection, which fails every stream on it at once
 *       and takes it out of the pool, so each watch resumes from its last resourceVersion on a new
 *       connection. This is client-go's remedy for the same failure (the HTTP/2 health check,
 *       ReadIdleTimeout 30 s + PingTimeout 15 s, set in k8s.io/apimachinery/pkg/util/net/http.go
 *       after kubernetes/client-go#374 and kubernetes/kubernetes#87615), it checks the connection
 *       rather than one stream, so a quiet but healthy watch is never mistaken for a dead connection,
 *       and it costs one 17-byte frame each way per interval. OkHttp pings on a fixed interval
 *       rather than after a read-idle period, so a dead connection is dropped within two intervals.</li>
 *   <li>When the idle guard gives up on a watch, idle pooled connections are evicted, so the retry
 *       opens a fresh connection rather than taking one that went silent together with the watch's
 *       (on HTTP/1.1 the pool keeps the idle connections of lists and of watches that ended, which
 *       no PING checks).</li>
 * </ul>
 * So every watch on a dead HTTP/2 connection streams again at most two ping intervals after the
 * connection went silent, plus its backoff (sooner when the idle guard and the eviction get there
 * first); on HTTP/1.1, one {@code watch.idle-timeout} plus its backoff.
 */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ClusterConnection connection;
    private final HttpUrl base;
    private final OkHttpClient requests;
    private final OkHttpClient watches;
    private final WatchIdleGuard idleGuard;

    /** With the idle timeout and ping interval of {@code settings}. */
    public ApiClient(ClusterConnection connection, WatchSettings settings) {
        this(connection, settings.idleTimeout(), settings.pingInterval());
    }

    /** With the default ping interval. */
    public ApiClient(ClusterConnection connection, Duration watchIdleTimeout) {
        this(connection, watchIdleTimeout, WatchSettings.defaults().pingInterval());
    }

    /**
     * @param watchIdleTimeout longest silence tolerated on a watch; the server sends a bookmark about
     *     every minute, so a longer silence is a half-open connection (no bytes, no FIN)
     * @param pingInterval how often each HTTP/2 connection is pinged
     */
    public ApiClient(ClusterConnection connection, Duration watchIdleTimeout, Duration pingInterval) {
        this.connection = connection;
        HttpUrl parsed = HttpUrl.parse(connection.url());
        if (parsed == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + connection.url());
        }
        this.base = parsed;
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .socketFactory(new LargeReadSocketFactory())
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(60, TimeUnit.SECONDS)
                // ALPN offers both when allowed; over plain http OkHttp speaks HTTP/1.1 either way.
                .protocols(connection.http2() ? List.of(Protocol.HTTP_2, Protocol.HTTP_1_1) : List.of(Protocol.HTTP_1_1))
                .pingInterval(pingInterval);
        if (connection.sslSocketFactory() != null) {
            builder.sslSocketFactory(connection.sslSocketFactory(), connection.trustManager());
        }
        if (connection.hostnameVerifier() != null) {
            builder.hostnameVerifier(connection.hostnameVerifier());
        }
        this.requests = builder.build();
        // No OkHttp read timeout on watches: the idle guard does that job at a fraction of the cost.
        this.watches = requests.newBuilder().readTimeout(0, TimeUnit.MILLISECONDS).build();
        // Shared by both clients (newBuilder keeps the pool), so the requests' idle connections are evicted too.
        this.idleGuard = new WatchIdleGuard(watchIdleTimeout, watches.connectionPool()::evictAll);
    }

    public String url() {
        return connection.url();
    }

    public JsonNode getJson(String path) throws IOException {
        return JSON.readTree(get(path, Map.of()));
    }

    /** A JSON document and the media type the server chose for it among those the request accepted. */
    public record Negotiated(String contentType, JsonNode body) {
    }

    /** A JSON document asked for with {@code accept}, for content negotiation (aggregated discovery). */
    public Negotiated getJson(String path, String accept) throws IOException {
        Request request = request(path, Map.of()).newBuilder().header("Accept", accept).build();
        try (Response response = execute(requests.newCall(request))) {
            return new Negotiated(String.valueOf(response.header("Content-Type")), JSON.readTree(response.body().bytes()));
        }
    }

    /** A whole response body; for list pages, whose size the page limit bounds. */
    public byte[] get(String path, Map<String, String> query) throws IOException {
        try (Response response = execute(requests.newCall(request(path, query)))) {
            return response.body().bytes();
        }
    }

    /** POSTs a JSON object and returns the JSON answer; for SelfSubjectAccessReviews, which the bridge only asks in `check`. */
    public JsonNode postJson(String path, JsonNode body) throws IOException {
        Request request = request(path, Map.of()).newBuilder()
                .post(RequestBody.create(JSON.writeValueAsBytes(body), MediaType.get("application/json"))).build();
        try (Response response = execute(requests.newCall(request))) {
            return JSON.readTree(response.body().bytes());
        }
    }

    /** Opens a watch; the caller reads the stream and closes it. */
    public WatchStream watch(String path, Map<String, String> query) throws IOException {
        Call call = watches.newCall(request(path, query));
        WatchIdleGuard.Guarded guard = idleGuard.watch(call);
        try {
            Response response = execute(call);
            return new WatchStream(call, response.body(), guard);
        } catch (IOException e) {
            guard.close();
            throw guard.translate(e);
        }
    }

    private Request request(String path, Map<String, String> query) throws IOException {
        HttpUrl.Builder url = base.newBuilder().encodedPath(joinPath(base.encodedPath(), path));
        query.forEach(url::addQueryParameter);
        Request.Builder request = new Request.Builder().url(url.build()).header("Accept", "application/json");
        String token;
        try {
            token = connection.bearerToken().get();
        } catch (UncheckedIOException e) {
            // A token file that cannot be read, an exec plugin that failed or hung: the watch retries with backoff.
            throw e.getCause();
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    private static String joinPath(String basePath, String path) {
        return basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) + path : basePath + path;
    }

    private Response execute(Call call) throws IOException {
        Response response = call.execute();
        if (response.isSuccessful()) {
            return response;
        }
        if (response.code() == 401 && connection.onUnauthorized() != null) {
            connection.onUnauthorized().run();
        }
        try (response) {
            throw toApiException(response);
        }
    }

    private static ApiException toApiException(Response response) throws IOException {
        String body = response.body() == null ? "" : response.body().string();
        String reason = response.message();
        String message = body.length() > 300 ? body.substring(0, 300) + "..." : body;
        Duration retryAfter = retryAfter(response.header("Retry-After"));
        try {
            JsonNode status = JSON.readTree(body);
            if (status != null && "Status".equals(status.path("kind").asText())) {
                return ApiException.fromStatus(status, response.code(), reason, message, retryAfter);
            }
        } catch (IOException notJson) {
            // Proxies and load balancers answer with HTML; the raw text is the best message then.
        }
        return new ApiException(response.code(), reason, message, retryAfter);
    }

    private static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException httpDate) {
            return null;
        }
    }

    /** An open watch response. Closing it (from any thread) ends a blocked read. */
    public static final class WatchStream implements AutoCloseable {
        private final Call call;
        private final ResponseBody body;
        private final WatchIdleGuard.Guarded guard;
        private final InputStream stream;

        WatchStream(Call call, ResponseBody body, WatchIdleGuard.Guarded guard) {
            this.call = call;
            this.body = body;
            this.guard = guard;
            this.stream = guard.watch(body.byteStream());
        }

        public InputStream body() {
            return stream;
        }

        /** Safe from another thread: cancels the call, which wakes the reader. */
        public void cancel() {
            call.cancel();
        }

        @Override
        public void close() {
            guard.close();
            body.close();
        }
    }
}
