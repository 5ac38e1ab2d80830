package io.kube2kafka.config;

import java.util.List;

/** Every configuration key with its documentation, in one place; Connect's ConfigDef is built from the same list. */
public final class ConfigKeys {
    private ConfigKeys() {
    }

    public static final String CLUSTER_CONFIG = "cluster";
    public static final String CLUSTER_DOC = "Names the cluster in topic names, headers and checkpoint keys. Letters, digits, '.', '_' and '-'.";
    public static final String KUBECONFIG_CONFIG = "kubernetes.kubeconfig";
    public static final String KUBECONFIG_DOC = "kubeconfig file; \"\" = $KUBECONFIG, else ~/.kube/config, else the in-cluster service account.";
    public static final String CONTEXT_CONFIG = "kubernetes.context";
    public static final String CONTEXT_DOC = "kubeconfig context; \"\" = current-context.";
    public static final String URL_CONFIG = "kubernetes.url";
    public static final String URL_DOC = "Explicit API server URL (http or https); wins over kubeconfig when set.";
    public static final String TOKEN_CONFIG = "kubernetes.token";
    public static final String TOKEN_DOC = "Bearer token for kubernetes.url.";
    public static final String TOKEN_FILE_CONFIG = "kubernetes.token-file";
    public static final String TOKEN_FILE_DOC = "File holding the bearer token; re-read when it changes (projected tokens rotate).";
    public static final String CA_FILE_CONFIG = "kubernetes.ca-file";
    public static final String CA_FILE_DOC = "PEM file of the CA that signed the API server's certificate.";
    public static final String INSECURE_CONFIG = "kubernetes.insecure-skip-tls-verify";
    public static final String INSECURE_DOC = "Skip TLS verification of the API server. Never in production; logged as a warning.";
    public static final String EXEC_TIMEOUT_CONFIG = "kubernetes.exec-timeout";
    public static final String EXEC_TIMEOUT_DOC = "Longest run of a kubeconfig exec credential plugin (aws eks get-token, gke-gcloud-auth-plugin, ...). "
            + "One that takes longer is killed with the processes it started, and the request is retried with backoff while the other "
            + "clusters stream. client-go has no such limit, so there one hung plugin stops the client for good. Cloud plugins answer in "
            + "a second or two; 30s leaves room for a slow identity service.";
    public static final String HTTP2_CONFIG = "kubernetes.http2";
    public static final String HTTP2_DOC = "Allow HTTP/2 (negotiated by ALPN over TLS): all watches of a cluster share one connection, which PINGs "
            + "(watch.ping-interval) keep checking. false forces HTTP/1.1 (one connection per watch), as does a non-empty $DISABLE_HTTP2, as in client-go.";
    public static final String RESOURCES_CONFIG = "resources";
    public static final String RESOURCES_DOC = "Resources to stream, kubectl spelling (plural[.version][.group]), each with optional namespaces, label-selector and field-selector.";
    public static final String EXCLUDE_CONFIG = "exclude";
    public static final String EXCLUDE_DOC = "Resources left out of resources = [\"*\"], kubectl spelling (events, events.events.k8s.io, deployments.apps, "
            + "widgets.example.com). Default: both kinds of events, which are noisy and short-lived. A name the server does not serve "
            + "(a CRD not installed yet) is logged as a warning, not an error, and still excludes the resource once it appears. "
            + "Only applies to \"*\": named resources are streamed as named.";
    public static final String CLUSTERS_CONFIG = "clusters";
    public static final String CLUSTERS_DOC = "Several clusters in one process, each entry { cluster, kubernetes { ... }, resources } like the top-level keys; "
            + "all share the kafka settings and one transactional producer. [] (default) = the one cluster of the top-level cluster, kubernetes and resources; "
            + "setting both is an error. With several clusters {cluster} in kafka.transactional-id is the first entry's name.";
    public static final String PAGE_SIZE_CONFIG = "watch.page-size";
    public static final String PAGE_SIZE_DOC = "Objects per list page (limit). Bounds the memory of a list; default 500 like kubectl.";
    public static final String WATCH_TIMEOUT_CONFIG = "watch.timeout";
    public static final String WATCH_TIMEOUT_DOC = "Server-side watch timeout; each watch asks for a random value between this and twice this.";
    public static final String IDLE_TIMEOUT_CONFIG = "watch.idle-timeout";
    public static final String IDLE_TIMEOUT_DOC = "A watch silent this long (no event, no bookmark) is treated as a half-open connection and reopened. Keep it above the API server's bookmark interval (about 1 minute).";
    public static final String BACKOFF_INITIAL_CONFIG = "watch.backoff-initial";
    public static final String BACKOFF_INITIAL_DOC = "First pause after a failed list or watch; doubles with jitter up to watch.backoff-max.";
    public static final String BACKOFF_MAX_CONFIG = "watch.backoff-max";
    public static final String BACKOFF_MAX_DOC = "Longest pause between retries.";
    public static final String AUTH_BACKOFF_CONFIG = "watch.authorization-backoff";
    public static final String AUTH_BACKOFF_DOC = "Pause after a 401 or 403, which only a fix of credentials or RBAC can cure.";
    public static final String MAX_EVENT_BYTES_CONFIG = "watch.max-event-bytes";
    public static final String MAX_EVENT_BYTES_DOC = "Longest watch event line accepted; bounds memory when a stream is broken.";
    public static final String TOO_LARGE_RETRY_CONFIG = "watch.too-large-retry";
    public static final String TOO_LARGE_RETRY_DOC = "How long a watch retries a resourceVersion the API server has not reached (\"Too large resource version\") "
            + "before it lists with a consistent read and compares with the topic. A lagging API server catches up within seconds; "
            + "a cluster restored from a backup or rebuilt under the same name never does, and the longer the wait, the closer its "
            + "new changes come to reusing the checkpoint's version. Default 10s: about three of the server's own 3 s waits.";
    public static final String INITIAL_LIST_CONFIG = "watch.initial-list";
    public static final String INITIAL_LIST_DOC = "How the first list and every relist are read: auto (default) streams them as a WatchList "
            + "(a watch with sendInitialEvents=true, Kubernetes 1.34; less memory on the API server and here) and falls back to paginated "
            + "lists for good once the server refuses that (422 Invalid: WatchList feature gate off, or an older server); watch-list never "
            + "falls back (a refusal is retried with backoff); paginated lists page by page (watch.page-size).";
    public static final String PING_INTERVAL_CONFIG = "watch.ping-interval";
    public static final String PING_INTERVAL_DOC = "How often an HTTP/2 connection to the API server is pinged. A PING not answered by the next one fails "
            + "the connection and every watch on it; they resume on a new connection, so a silent connection is dropped within twice this.";
    public static final String DISCOVERY_INTERVAL_CONFIG = "watch.discovery-interval";
    public static final String DISCOVERY_INTERVAL_DOC = "With resources = [\"*\"], how often discovery runs again: a resource that appears (a CRD installed) "
            + "gets a watch, which lists and compares first (notification reason \"discovered\"); one that disappears has its watch stopped, "
            + "with a log line, and its checkpoint kept. A group whose discovery fails stops nothing. Default 30s.";
    public static final String BOOTSTRAP_CONFIG = "kafka.bootstrap-servers";
    public static final String BOOTSTRAP_DOC = "Kafka bootstrap servers; \"\" starts an embedded single-node broker.";
    public static final String TOPIC_CONFIG = "kafka.topic";
    public static final String TOPIC_DOC = "Topic name template: {cluster}, {group} (\"core\" for the core group), {version}, {resource}.";
    public static final String CHECKPOINT_TOPIC_CONFIG = "kafka.checkpoint-topic";
    public static final String CHECKPOINT_TOPIC_DOC = "Compacted topic holding each watch's committed resourceVersion.";
    public static final String NOTIFICATION_TOPIC_CONFIG = "kafka.notification-topic";
    public static final String NOTIFICATION_TOPIC_DOC = "Topic (not compacted) receiving one JSON record per completed list or relist, keyed by the watch, "
            + "in the same transaction as the list's records: when and where changes were seen only as their outcome. Also answers signals.";
    public static final String SIGNAL_TOPIC_CONFIG = "kafka.signal-topic";
    public static final String SIGNAL_TOPIC_DOC = "Topic the bridge reads requests from: {\"type\":\"reconcile\"|\"resnapshot\",\"watch\":W|\"*\"}. "
            + "Read from its end at start-up: a signal is a request to act now, not history to replay.";
    public static final String DELIVERY_CONFIG = "kafka.delivery";
    public static final String DELIVERY_DOC = "exactly-once: records and checkpoint in one transaction; at-least-once: idempotent producer, checkpoint after the records are acknowledged.";
    public static final String TRANSACTIONAL_ID_CONFIG = "kafka.transactional-id";
    public static final String TRANSACTIONAL_ID_DOC = "transactional.id of the producer ({cluster} allowed: with several clusters, the first entry's name). Keep it stable: a restarted bridge fences its predecessor by it.";
    public static final String PARTITIONS_CONFIG = "kafka.partitions";
    public static final String PARTITIONS_DOC = "Partitions of topics the bridge creates.";
    public static final String REPLICATION_CONFIG = "kafka.replication-factor";
    public static final String REPLICATION_DOC = "Replication factor of topics the bridge creates; -1 = the broker's default.";
    public static final String TOPIC_CONFIGS_CONFIG = "kafka.topic-config";
    public static final String TOPIC_CONFIGS_DOC = "Topic configs for object topics the bridge creates (default cleanup.policy=compact; use delete for a full history).";
    public static final String MAX_BATCH_CONFIG = "kafka.max-batch-events";
    public static final String MAX_BATCH_DOC = "Most events in one transaction. Events that arrive while a transaction commits share the next one.";
    public static final String MAX_QUEUED_CONFIG = "kafka.max-queued-bytes";
    public static final String MAX_QUEUED_DOC = "Most event bytes waiting for Kafka; beyond it watchers pause, slowing their streams to Kafka's pace.";
    public static final String SHUTDOWN_TIMEOUT_CONFIG = "kafka.shutdown-timeout";
    public static final String SHUTDOWN_TIMEOUT_DOC = "On SIGTERM, how long to keep trying to commit in-flight events before giving up (they are re-read from the API server on restart).";
    public static final String PRODUCER_CONFIG = "kafka.producer";
    public static final String PRODUCER_DOC = "Kafka producer settings passed as they are (security, compression, batch.size, ...); each is checked at start-up against the producer's own definitions.";
    public static final String EMBEDDED_DIR_CONFIG = "kafka.embedded.data-dir";
    public static final String EMBEDDED_DIR_DOC = "Data directory of the embedded broker.";
    public static final String EMBEDDED_PORT_CONFIG = "kafka.embedded.port";
    public static final String EMBEDDED_PORT_DOC = "Port of the embedded broker on 127.0.0.1; 0 = any free port.";
    public static final String TOMBSTONES_CONFIG = "output.tombstones";
    public static final String TOMBSTONES_DOC = "Follow each DELETED record with a null-value record, so a compacted topic holds exactly the live objects.";
    public static final String DROP_MANAGED_FIELDS_CONFIG = "output.drop-managed-fields";
    public static final String DROP_MANAGED_FIELDS_DOC = "Remove metadata.managedFields from every object.";
    public static final String REDACT_SECRETS_CONFIG = "output.redact-secrets";
    public static final String REDACT_SECRETS_DOC = "Replace the values of Secret data and stringData (keys stay) and drop their last-applied-configuration annotation.";
    public static final String DROP_PATHS_CONFIG = "output.drop-paths";
    public static final String DROP_PATHS_DOC = "JSON Pointers (RFC 6901, e.g. \"/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration\", \"/status\") removed from every object before it is published. "
            + "Identity fields (/kind, /apiVersion, /metadata and its uid, name, namespace, resourceVersion) cannot be dropped. Default [] (server bytes pass through).";
    public static final String OVERSIZED_CONFIG = "output.oversized";
    public static final String OVERSIZED_DOC = "An event over the producer's max.request.size or its topic's max.message.bytes: marker = publish a small record naming the object and its size; fail = stop the bridge.";
    public static final String HTTP_PORT_CONFIG = "http.port";
    public static final String HTTP_PORT_DOC = "Port for /metrics, /healthz and /readyz; -1 turns the server off, 0 picks any free port.";
    public static final String HTTP_ADDRESS_CONFIG = "http.address";
    public static final String HTTP_ADDRESS_DOC = "Address the /metrics, /healthz and /readyz server binds: 127.0.0.1 (default) keeps it on this machine; 0.0.0.0 in a pod, so the kubelet and Prometheus reach it.";

    /** Keys whose value is a free-form map, passed on as it is. */
    public static final List<String> MAP_KEYS = List.of(PRODUCER_CONFIG, TOPIC_CONFIGS_CONFIG);

    public static final List<ConfigKey> ALL = List.of(
            new ConfigKey(CLUSTER_CONFIG, ConfigKey.Type.STRING, CLUSTER_DOC),
            new ConfigKey(KUBECONFIG_CONFIG, ConfigKey.Type.STRING, KUBECONFIG_DOC),
            new ConfigKey(CONTEXT_CONFIG, ConfigKey.Type.STRING, CONTEXT_DOC),
            new ConfigKey(URL_CONFIG, ConfigKey.Type.STRING, URL_DOC),
            new ConfigKey(TOKEN_CONFIG, ConfigKey.Type.STRING, TOKEN_DOC),
            new ConfigKey(TOKEN_FILE_CONFIG, ConfigKey.Type.STRING, TOKEN_FILE_DOC),
            new ConfigKey(CA_FILE_CONFIG, ConfigKey.Type.STRING, CA_FILE_DOC),
            new ConfigKey(INSECURE_CONFIG, ConfigKey.Type.BOOLEAN, INSECURE_DOC),
            new ConfigKey(EXEC_TIMEOUT_CONFIG, ConfigKey.Type.DURATION, EXEC_TIMEOUT_DOC),
            new ConfigKey(HTTP2_CONFIG, ConfigKey.Type.BOOLEAN, HTTP2_DOC),
            new ConfigKey(RESOURCES_CONFIG, ConfigKey.Type.LIST, RESOURCES_DOC),
            new ConfigKey(EXCLUDE_CONFIG, ConfigKey.Type.LIST, EXCLUDE_DOC),
            new ConfigKey(CLUSTERS_CONFIG, ConfigKey.Type.LIST, CLUSTERS_DOC),
            new ConfigKey(PAGE_SIZE_CONFIG, ConfigKey.Type.INT, PAGE_SIZE_DOC),
            new ConfigKey(WATCH_TIMEOUT_CONFIG, ConfigKey.Type.DURATION, WATCH_TIMEOUT_DOC),
            new ConfigKey(IDLE_TIMEOUT_CONFIG, ConfigKey.Type.DURATION, IDLE_TIMEOUT_DOC),
            new ConfigKey(BACKOFF_INITIAL_CONFIG, ConfigKey.Type.DURATION, BACKOFF_INITIAL_DOC),
            new ConfigKey(BACKOFF_MAX_CONFIG, ConfigKey.Type.DURATION, BACKOFF_MAX_DOC),
            new ConfigKey(AUTH_BACKOFF_CONFIG, ConfigKey.Type.DURATION, AUTH_BACKOFF_DOC),
            new ConfigKey(MAX_EVENT_BYTES_CONFIG, ConfigKey.Type.BYTES, MAX_EVENT_BYTES_DOC),
            new ConfigKey(TOO_LARGE_RETRY_CONFIG, ConfigKey.Type.DURATION, TOO_LARGE_RETRY_DOC),
            new ConfigKey(PING_INTERVAL_CONFIG, ConfigKey.Type.DURATION, PING_INTERVAL_DOC),
            new ConfigKey(INITIAL_LIST_CONFIG, ConfigKey.Type.STRING, INITIAL_LIST_DOC),
            new ConfigKey(DISCOVERY_INTERVAL_CONFIG, ConfigKey.Type.DURATION, DISCOVERY_INTERVAL_DOC),
            new ConfigKey(BOOTSTRAP_CONFIG, ConfigKey.Type.STRING, BOOTSTRAP_DOC),
            new ConfigKey(TOPIC_CONFIG, ConfigKey.Type.STRING, TOPIC_DOC),
            new ConfigKey(CHECKPOINT_TOPIC_CONFIG, ConfigKey.Type.STRING, CHECKPOINT_TOPIC_DOC),
            new ConfigKey(NOTIFICATION_TOPIC_CONFIG, ConfigKey.Type.STRING, NOTIFICATION_TOPIC_DOC),
            new ConfigKey(SIGNAL_TOPIC_CONFIG, ConfigKey.Type.STRING, SIGNAL_TOPIC_DOC),
            new ConfigKey(DELIVERY_CONFIG, ConfigKey.Type.STRING, DELIVERY_DOC),
            new ConfigKey(TRANSACTIONAL_ID_CONFIG, ConfigKey.Type.STRING, TRANSACTIONAL_ID_DOC),
            new ConfigKey(PARTITIONS_CONFIG, ConfigKey.Type.INT, PARTITIONS_DOC),
            new ConfigKey(REPLICATION_CONFIG, ConfigKey.Type.INT, REPLICATION_DOC),
            new ConfigKey(TOPIC_CONFIGS_CONFIG, ConfigKey.Type.MAP, TOPIC_CONFIGS_DOC),
            new ConfigKey(MAX_BATCH_CONFIG, ConfigKey.Type.INT, MAX_BATCH_DOC),
            new ConfigKey(MAX_QUEUED_CONFIG, ConfigKey.Type.BYTES, MAX_QUEUED_DOC),
            new ConfigKey(SHUTDOWN_TIMEOUT_CONFIG, ConfigKey.Type.DURATION, SHUTDOWN_TIMEOUT_DOC),
            new ConfigKey(PRODUCER_CONFIG, ConfigKey.Type.MAP, PRODUCER_DOC),
            new ConfigKey(EMBEDDED_DIR_CONFIG, ConfigKey.Type.STRING, EMBEDDED_DIR_DOC),
            new ConfigKey(EMBEDDED_PORT_CONFIG, ConfigKey.Type.INT, EMBEDDED_PORT_DOC),
            new ConfigKey(TOMBSTONES_CONFIG, ConfigKey.Type.BOOLEAN, TOMBSTONES_DOC),
            new ConfigKey(DROP_MANAGED_FIELDS_CONFIG, ConfigKey.Type.BOOLEAN, DROP_MANAGED_FIELDS_DOC),
            new ConfigKey(REDACT_SECRETS_CONFIG, ConfigKey.Type.BOOLEAN, REDACT_SECRETS_DOC),
            new ConfigKey(DROP_PATHS_CONFIG, ConfigKey.Type.LIST, DROP_PATHS_DOC),
            new ConfigKey(OVERSIZED_CONFIG, ConfigKey.Type.STRING, OVERSIZED_DOC),
            new ConfigKey(HTTP_PORT_CONFIG, ConfigKey.Type.INT, HTTP_PORT_DOC),
            new ConfigKey(HTTP_ADDRESS_CONFIG, ConfigKey.Type.STRING, HTTP_ADDRESS_DOC));
}
