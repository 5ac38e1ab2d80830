package io.kube2kafka.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 to one API server. OkHttp does the connection pooling (keep-alive across list pages),
 * TLS and chunked decoding; this class adds the bearer token, turns error responses into
 * {@link ApiException}s and ends watches that fall silent ({@link WatchIdleGuard}).
 */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ClusterConnection connection;
    private final HttpUrl base;
    private final OkHttpClient requests;
    private final OkHttpClient watches;
    private final WatchIdleGuard idleGuard;

    /**
     * @param watchIdleTimeout longest silence tolerated on a watch; the server sends a bookmark about
     *     every minute, so a longer silence is a half-open connection (no bytes, no FIN)
     */
    public ApiClient(ClusterConnection connection, Duration watchIdleTimeout) {
        this.connection = connection;
        HttpUrl parsed = HttpUrl.parse(connection.url());
        if (parsed == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + connection.url());
        }
        this.base = parsed;
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .socketFactory(new LargeReadSocketFactory())
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(60, TimeUnit.SECONDS);
        if (connection.sslSocketFactory() != null) {
            builder.sslSocketFactory(connection.sslSocketFactory(), connection.trustManager());
        }
        if (connection.hostnameVerifier() != null) {
            builder.hostnameVerifier(connection.hostnameVerifier());
        }
        this.requests = builder.build();
        // No OkHttp read timeout on watches: the idle guard does that job at a fraction of the cost.
        this.watches = requests.newBuilder().readTimeout(0, TimeUnit.MILLISECONDS).build();
        this.idleGuard = new WatchIdleGuard(watchIdleTimeout);
    }

    public String url() {
        return connection.url();
    }

    public JsonNode getJson(String path) throws IOException {
        return JSON.readTree(get(path, Map.of()));
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
