package io.kube2kafka.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube2kafka.publish.KafkaClients;
import io.kube2kafka.cluster.ClusterConfigException;
import io.kube2kafka.cluster.ConnectionResolver;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.ClusterSettings;
import io.kube2kafka.config.ConfigKeys;
import io.kube2kafka.config.ConfigurationException;
import io.kube2kafka.config.KafkaSettings;
import io.kube2kafka.config.ResourceSpec;
import io.kube2kafka.publish.TopicNames;
import io.kube2kafka.watch.ApiClient;
import io.kube2kafka.watch.ApiException;
import io.kube2kafka.watch.ApiResource;
import io.kube2kafka.watch.Discovery;
import io.kube2kafka.watch.UnknownResourceException;
import io.kube2kafka.watch.WatchTarget;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The preflight a user runs before {@code run}: every item the bridge needs, one line each, OK or
 * the exact problem and its fix. Nothing is changed: topics are created with validateOnly, and the
 * transaction test commits an empty transaction under a throwaway transactional.id.
 *
 * <p>Exit status: 0 when every item passes, 2 when the configuration itself is wrong (a bad key, an
 * unusable kubeconfig, a resource the server does not serve), 1 for any other failure.
 */
@Command(name = "check", description = "Preflight: discovery, list/watch permission, Kafka reachable, topics, transactions; one line per item.")
final class CheckCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Long enough for a loaded cluster, short enough that a dead broker is reported within a minute. */
    /** "cluster b: " before each item while checking one of several clusters. */
    private String itemPrefix = "";
    /** "clusters[1]." before keys in fixes while checking one of several clusters. */
    private String keyPrefix = "";
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(15);

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private int failures;
    private boolean configurationProblem;

    @Override
    public Integer call() throws ConfigurationException {
        out = spec.commandLine().getOut();
        BridgeSettings settings = config.load();
        List<WatchTarget> targets = new ArrayList<>();
        for (int i = 0; i < settings.clusters().size(); i++) {
            ClusterSettings cluster = settings.clusters().get(i);
            // With several clusters every line says which one it is about, and every fix names the entry.
            itemPrefix = settings.severalClusters() ? "cluster " + cluster.cluster() + ": " : "";
            keyPrefix = settings.severalClusters() ? ConfigKeys.CLUSTERS_CONFIG + "[" + i + "]." : "";
            targets.addAll(checkKubernetes(settings, cluster));
        }
        itemPrefix = "";
        keyPrefix = "";
        checkKafka(settings, targets);
        out.println(failures == 0 ? "all checks passed" : failures + " check(s) failed");
        out.flush();
        return failures == 0 ? 0 : configurationProblem ? Main.CONFIGURATION_ERROR : Main.FATAL_ERROR;
    }

    private List<WatchTarget> checkKubernetes(BridgeSettings settings, ClusterSettings cluster) {
        List<WatchTarget> targets = new ArrayList<>();
        ApiClient api;
        try {
            api = new ApiClient(new ConnectionResolver().resolve(cluster.kubernetes()), settings.watch());
        } catch (ClusterConfigException e) {
            configurationProblem = true;
            fail("kubernetes connection", e.getMessage(), "fix " + keyPrefix + "kubernetes.kubeconfig / " + keyPrefix + "kubernetes.context or set " + keyPrefix + "kubernetes.url");
            return targets;
        } catch (Exception e) {
            configurationProblem = true;
            fail("kubernetes connection", e.getMessage(), "check the CA, client certificate and key files the configuration names");
            return targets;
        }
        try {
            String version = api.getJson("/version").path("gitVersion").asText("?");
            ok("api server " + api.url(), "reachable, Kubernetes " + version);
        } catch (ApiException e) {
            fail("api server " + api.url(), e.getMessage(), e.code() == 401
                    ? "the credentials were refused: fix kubernetes.token, kubernetes.token-file or the kubeconfig user"
                    : "check the credentials and that this is an API server");
            return targets;
        } catch (IOException e) {
            fail("api server " + api.url(), "cannot connect: " + e.getMessage(),
                    "check kubernetes.url (or the kubeconfig's server), the network and TLS settings");
            return targets;
        }
        boolean accessReviews = servesAccessReviews(api);
        Discovery discovery = new Discovery(api);
        for (ResourceSpec spec : cluster.resources()) {
            ApiResource resource;
            try {
                resource = discovery.resolve(spec.resource());
            } catch (UnknownResourceException e) {
                configurationProblem = true;
                fail("resource " + spec.resource(), e.getMessage(), "fix " + keyPrefix + "resources[].resource, or install the CRD that serves it");
                continue;
            } catch (IOException e) {
                fail("resource " + spec.resource(), "discovery failed: " + e.getMessage(), "check that the API server is healthy and retry");
                continue;
            }
            ok("resource " + spec.resource(), "served as " + resource.qualifiedName() + (resource.namespaced() ? " (namespaced)" : " (cluster-scoped)"));
            List<String> namespaces = spec.namespaces().isEmpty() || !resource.namespaced() ? List.of("") : spec.namespaces();
            for (String namespace : namespaces) {
                WatchTarget target = new WatchTarget(cluster.cluster(), resource, namespace, spec.labelSelector(), spec.fieldSelector());
                targets.add(target);
                checkPermissions(api, target, accessReviews);
            }
        }
        return targets;
    }

    private static boolean servesAccessReviews(ApiClient api) {
        try {
            for (JsonNode group : api.getJson("/apis").path("groups")) {
                if ("authorization.k8s.io".equals(group.path("name").asText())) {
                    return true;
                }
            }
        } catch (IOException e) {
            // Without the group list, the list/watch probes below still answer the question.
        }
        return false;
    }

    private void checkPermissions(ApiClient api, WatchTarget target, boolean accessReviews) {
        ApiResource resource = target.resource();
        String where = target.namespace().isEmpty() ? (resource.namespaced() ? "in all namespaces" : "") : "in namespace " + target.namespace();
        String fix = "grant get, list and watch on " + resource.plural() + (resource.group().isEmpty() ? "" : "." + resource.group())
                + " to the bridge's identity (deploy/rbac.yaml has a ClusterRole)";
        if (accessReviews) {
            try {
                for (String verb : List.of("list", "watch")) {
                    JsonNode status = accessReview(api, target, verb).path("status");
                    String item = verb + " " + resource.qualifiedName() + (where.isEmpty() ? "" : " " + where);
                    if (status.path("allowed").asBoolean(false)) {
                        ok(item, "allowed (SelfSubjectAccessReview)");
                    } else {
                        fail(item, "denied" + (status.path("reason").asText("").isEmpty() ? "" : ": " + status.path("reason").asText()), fix);
                    }
                }
                return;
            } catch (ApiException e) {
                if (e.code() != 404 && e.code() != 405 && e.code() != 403) {
                    fail("access review for " + resource.qualifiedName(), e.getMessage(), "check the API server's authorization API");
                    return;
                }
                // Not served, or not allowed to ask: probe with the requests themselves below.
            } catch (IOException e) {
                fail("access review for " + resource.qualifiedName(), e.getMessage(), "check the API server's health");
                return;
            }
        }
        String path = resource.collectionPath(target.namespace());
        String listItem = "list " + resource.qualifiedName() + (where.isEmpty() ? "" : " " + where);
        String watchItem = "watch " + resource.qualifiedName() + (where.isEmpty() ? "" : " " + where);
        String resourceVersion;
        try {
            Map<String, String> query = selectors(target);
            query.put("limit", "1");
            resourceVersion = JSON.readTree(api.get(path, query)).path("metadata").path("resourceVersion").asText("");
            ok(listItem, "allowed (a limit=1 list answered)");
        } catch (IOException e) {
            fail(listItem, e.getMessage(), e instanceof ApiException a && a.isAuthorizationFailure() ? fix : "check the API server's health");
            fail(watchItem, "not tried: the list failed", fix);
            return;
        }
        Map<String, String> query = selectors(target);
        query.put("watch", "1");
        query.put("timeoutSeconds", "1");
        if (!resourceVersion.isEmpty()) {
            query.put("resourceVersion", resourceVersion);
        }
        try (ApiClient.WatchStream stream = api.watch(path, query)) {
            stream.cancel();
            ok(watchItem, "allowed (a watch opened)");
        } catch (IOException e) {
            fail(watchItem, e.getMessage(), e instanceof ApiException a && a.isAuthorizationFailure() ? fix : "check the API server's health");
        }
    }

    private static JsonNode accessReview(ApiClient api, WatchTarget target, String verb) throws IOException {
        ObjectNode review = JSON.createObjectNode();
        review.put("apiVersion", "authorization.k8s.io/v1");
        review.put("kind", "SelfSubjectAccessReview");
        ObjectNode attributes = review.putObject("spec").putObject("resourceAttributes");
        attributes.put("verb", verb);
        attributes.put("group", target.resource().group());
        attributes.put("resource", target.resource().plural());
        if (!target.namespace().isEmpty()) {
            attributes.put("namespace", target.namespace());
        }
        return api.postJson("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review);
    }

    private static Map<String, String> selectors(WatchTarget target) {
        Map<String, String> query = new LinkedHashMap<>();
        if (!target.labelSelector().isEmpty()) {
            query.put("labelSelector", target.labelSelector());
        }
        if (!target.fieldSelector().isEmpty()) {
            query.put("fieldSelector", target.fieldSelector());
        }
        return query;
    }

    private void checkKafka(BridgeSettings settings, List<WatchTarget> targets) {
        KafkaSettings kafka = settings.kafka();
        if (kafka.embedded()) {
            ok("kafka", "kafka.bootstrap-servers is empty: run starts an embedded broker on 127.0.0.1:" + kafka.embeddedPort()
                    + " (data in " + kafka.embeddedDataDir() + "); nothing to check");
            return;
        }
        Map<String, Object> clientConfig = new HashMap<>(KafkaClients.clientConfig(kafka));
        clientConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
        clientConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis() / 3);
        String at = "kafka " + kafka.bootstrapServers();
        try (Admin admin = Admin.create(clientConfig)) {
            int brokers;
            try {
                brokers = admin.describeCluster().nodes().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
                ok(at, "reachable, " + brokers + " broker(s)");
            } catch (Exception e) {
                fail(at, "cannot reach the brokers: " + rootMessage(e),
                        "check kafka.bootstrap-servers and the security settings in kafka.producer (security.protocol, sasl.*, ssl.*)");
                return;
            }
            checkTopics(admin, kafka, targets);
        } catch (RuntimeException e) {
            fail(at, rootMessage(e), "check kafka.bootstrap-servers and kafka.producer");
            return;
        }
        checkTransactions(kafka);
    }

    private void checkTopics(Admin admin, KafkaSettings kafka, List<WatchTarget> targets) {
        TopicNames names = new TopicNames(kafka.topicTemplate());
        Set<String> objectTopics = new LinkedHashSet<>();
        targets.forEach(t -> objectTopics.add(names.topicFor(t)));
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            fail("topics", "cannot list topics: " + rootMessage(e), "grant the bridge's principal Describe on its topics");
            return;
        }
        Optional<Short> replication = kafka.replicationFactor() < 0 ? Optional.empty() : Optional.of((short) kafka.replicationFactor());
        Map<String, NewTopic> wanted = new LinkedHashMap<>();
        objectTopics.forEach(t -> wanted.put(t, new NewTopic(t, Optional.of(kafka.partitions()), replication).configs(kafka.topicConfig())));
        wanted.put(kafka.checkpointTopic(), new NewTopic(kafka.checkpointTopic(), Optional.of(1), replication)
                .configs(Map.of("cleanup.policy", "compact")));
        for (Map.Entry<String, NewTopic> topic : wanted.entrySet()) {
            String item = "topic " + topic.getKey();
            if (existing.contains(topic.getKey())) {
                try {
                    TopicDescription description = admin.describeTopics(Set.of(topic.getKey())).allTopicNames()
                            .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic.getKey());
                    ok(item, "exists (" + description.partitions().size() + " partition(s))");
                } catch (Exception e) {
                    fail(item, "exists but cannot be described: " + rootMessage(e), "grant the bridge's principal Describe and Write on it");
                }
                continue;
            }
            try {
                admin.createTopics(Set.of(topic.getValue()), new CreateTopicsOptions().validateOnly(true)).all()
                        .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                ok(item, "missing; run creates it (" + topic.getValue().numPartitions() + " partition(s), " + topic.getValue().configs() + ")");
            } catch (Exception e) {
                fail(item, "missing, and the broker would refuse to create it: " + rootMessage(e),
                        "create it yourself, or grant Create and fix kafka.partitions / kafka.replication-factor / kafka.topic-config");
            }
        }
    }

    private void checkTransactions(KafkaSettings kafka) {
        if (!kafka.exactlyOnce()) {
            ok("transactions", "not used (kafka.delivery=at-least-once)");
            return;
        }
        Map<String, Object> config = new HashMap<>(KafkaClients.clientConfig(kafka));
        kafka.producer().forEach(config::put);
        String transactionalId = "kube2kafka-check-" + UUID.randomUUID();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.commitTransaction();
            ok("transactions", "initialised and committed an empty transaction (transactional.id " + transactionalId + ")");
        } catch (RuntimeException e) {
            fail("transactions", rootMessage(e), "the brokers need a transaction log (transaction.state.log.replication.factor and "
                    + "min.isr no larger than the brokers), and the principal needs Write on TransactionalId " + kafka.transactionalId()
                    + "; or set kafka.delivery=at-least-once");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private void ok(String item, String detail) {
        out.printf("OK    %-50s %s%n", itemPrefix + item, detail);
        out.flush();
    }

    private void fail(String item, String problem, String fix) {
        failures++;
        out.printf("FAIL  %-50s %s%n      %-50s fix: %s%n", itemPrefix + item, problem, "", fix);
        out.flush();
    }
}
