package io.kube2kafka.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube2kafka.testing.Await;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Kafka Connect worker in distributed mode, started in this JVM from connect-runtime's own
 * entry point, as {@code connect-distributed.sh} would, against the test broker. The connector is on
 * the classpath, which a worker scans like plugin.path. Two workers started with the same group
 * share configs, offsets and status: stopping one and starting another is a worker restart.
 */
final class ConnectWorker implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Connect<?> connect;
    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ConnectWorker(Connect<?> connect) {
        this.connect = connect;
        this.url = connect.rest().serverUrl();
    }

    /** @param group names the worker group and its internal topics, unique per test */
    static ConnectWorker start(String bootstrapServers, String group) {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", group);
        props.put("listeners", "http://127.0.0.1:0");
        props.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        props.put("config.storage.topic", group + ".configs");
        props.put("offset.storage.topic", group + ".offsets");
        props.put("status.storage.topic", group + ".status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("offset.storage.partitions", "1");
        props.put("status.storage.partitions", "1");
        props.put("exactly.once.source.support", "enabled");
        props.put("offset.flush.interval.ms", "500");
        // One worker leaving and another joining must not wait out the default 5 minutes before reassigning.
        props.put("scheduled.rebalance.max.delay.ms", "0");
        // The connector declares itself in META-INF/services (KIP-898), so no classpath scan is needed.
        props.put("plugin.discovery", "service_load");
        ConnectWorker worker = new ConnectWorker(new ConnectDistributed().startConnect(props));
        Await.until(() -> worker.status("/connectors") == 200, Duration.ofSeconds(60), "the worker's REST API answers");
        return worker;
    }

    JsonNode get(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url.resolve(path)).GET());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": " + response.statusCode() + " " + response.body());
        }
        return parse(response.body());
    }

    /** PUT with a JSON body; fails unless the answer is 2xx. */
    JsonNode put(String path, Object body) {
        try {
            HttpResponse<String> response = send(HttpRequest.newBuilder(url.resolve(path))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
            if (response.statusCode() / 100 != 2) {
                throw new AssertionError("PUT " + path + ": " + response.statusCode() + " " + response.body());
            }
            return parse(response.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    int status(String path) {
        try {
            return send(HttpRequest.newBuilder(url.resolve(path)).GET()).statusCode();
        } catch (AssertionError e) {
            return -1;
        }
    }

    /** Creates (or updates) a connector and waits until it and all its tasks run. */
    void createConnector(String name, Map<String, String> config, int expectedTasks) {
        put("/connectors/" + name + "/config", config);
        awaitRunning(name, expectedTasks);
    }

    void awaitRunning(String name, int expectedTasks) {
        Await.until(() -> {
            if (status("/connectors/" + name + "/status") != 200) {
                return false;
            }
            JsonNode status = get("/connectors/" + name + "/status");
            if (status.path("connector").path("state").asText().equals("FAILED")) {
                throw new AssertionError("connector failed: " + status);
            }
            int running = 0;
            for (JsonNode task : status.path("tasks")) {
                if (task.path("state").asText().equals("FAILED")) {
                    throw new AssertionError("task failed: " + task.path("trace").asText());
                }
                running += task.path("state").asText().equals("RUNNING") ? 1 : 0;
            }
            return status.path("connector").path("state").asText().equals("RUNNING") && running == expectedTasks;
        }, Duration.ofSeconds(60), name + " and its " + expectedTasks + " task(s) are RUNNING");
    }

    /** Waits until the connector or one of its tasks is FAILED, and returns the stack trace the worker reports. */
    String awaitFailed(String name) {
        String[] trace = new String[1];
        Await.until(() -> {
            if (status("/connectors/" + name + "/status") != 200) {
                return false;
            }
            JsonNode status = get("/connectors/" + name + "/status");
            List<JsonNode> states = new ArrayList<>();
            states.add(status.path("connector"));
            status.path("tasks").forEach(states::add);
            for (JsonNode state : states) {
                if (state.path("state").asText().equals("FAILED")) {
                    trace[0] = state.path("trace").asText();
                    return true;
                }
            }
            return false;
        }, Duration.ofSeconds(60), name + " or one of its tasks is FAILED");
        return trace[0];
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("the worker's REST API at " + url + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** A clean stop, as SIGTERM to connect-distributed.sh: tasks stop and commit what they polled. */
    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
