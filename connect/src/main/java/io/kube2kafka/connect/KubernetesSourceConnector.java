package io.kube2kafka.connect;

import io.kube2kafka.config.DiscoveryDiff;
import io.kube2kafka.config.TargetResolver;
import io.kube2kafka.config.WholeCluster;
import io.kube2kafka.cluster.ApiClients;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.ConfigKeys;
import io.kube2kafka.config.KafkaSettings;
import io.kube2kafka.config.PendingResources;
import io.kube2kafka.config.ResolvedTargets;
import io.kube2kafka.config.ResourceSpec;
import io.kube2kafka.publish.TopicCreator;
import io.kube2kafka.config.ConfigurationException;
import io.kube2kafka.publish.TopicNames;
import io.kube2kafka.watch.ApiClient;
import io.kube2kafka.watch.ApiException;
import io.kube2kafka.watch.Discovery;
import io.kube2kafka.watch.GroupDiscoveryFailedException;
import io.kube2kafka.watch.Interrupts;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.UnknownResourceException;
import io.kube2kafka.watch.WatchTarget;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Streams Kubernetes objects into Kafka from inside Kafka Connect, with the standalone bridge's watch
 * core: every configured resource is resolved through discovery into watches (source partitions),
 * which are spread round-robin over at most tasks.max tasks. More tasks than watches would idle, so
 * there are never more. With {@code resources = ["*"]} it follows discovery while it runs. A configured
 * resource waiting for an API group that did not answer discovery holds back only itself: the tasks
 * stream the others, and its watches are assigned once its group answers.
 */
public final class KubernetesSourceConnector extends SourceConnector {
    private static final Logger log = LoggerFactory.getLogger(KubernetesSourceConnector.class);
    /** The build's version (from the pom), which Connect shows in GET /connector-plugins. */
    static final String VERSION = io.kube2kafka.config.BuildVersion.get();

    private Map<String, String> props;
    /** Replaced whole by the discovery follower; taskConfigs reads whichever is current. */
    private volatile List<WatchTarget> targets;
    /** Keys of the watches the follower added: their first list says "discovered". */
    private volatile Set<String> discovered = Set.of();
    private TopicNames topicNames;
    private Thread follower;

    @Override
    public String version() {
        return VERSION;
    }

    /**
     * Resolves the resources and, unless topic.creation.* hands that to Connect, creates the topics:
     * here, because the connector knows every watch before any task writes. On a broker that does not
     * auto-create topics a task would otherwise run without writing a record; a topic that cannot be
     * created fails the connector, naming the topic.
     */
    @Override
    public void start(Map<String, String> props) {
        KubernetesSourceConfig config = new KubernetesSourceConfig(props);
        BridgeSettings settings = config.bridgeSettings();
        Map<String, List<String>> problems = KubernetesSourceConfig.connectProblems(props);
        if (!problems.isEmpty()) {
            // validate() refuses these; a configuration stored before an upgrade can still hold them.
            throw new ConnectException("invalid configuration: " + problems);
        }
        ApiClient api;
        PendingResources.Resolver resolver;
        ResolvedTargets first;
        try {
            api = ApiClients.forCluster(settings.kubernetes(), settings.watch());
            // The same resolution at start and for each retry of the names whose API group did not answer.
            resolver = () -> TargetResolver.resolveWhatAnswers(settings.onlyCluster(), new Discovery(api), "");
            first = resolver.resolve();
            targets = first.targets();
            topicNames = new TopicNames(settings.kafka().topicTemplate());
        } catch (Exception e) {
            throw new ConnectException("cannot resolve the resources " + config.getString(ConfigKeys.RESOURCES_CONFIG)
                    + " on the API server: " + e.getMessage(), e);
        }
        createTopics(settings, props, targets, !ConnectorKeys.connectCreatesTopics(props));
        this.props = Map.copyOf(props);
        log.info("{} watch(es) of cluster {}: {}", targets.size(), settings.cluster(), targets);
        if (settings.onlyCluster().everyResource()) {
            follower = new Thread(() -> followDiscovery(settings, api), "kube2kafka discovery " + settings.cluster());
            follower.setDaemon(true);
            follower.start();
        } else if (!first.complete()) {
            follower = new Thread(new PendingResources(settings.cluster(), first, resolver, assignLater(settings),
                    settings.watch().backoffInitial(), settings.watch().backoffMax(), Pauser.REAL), "kube2kafka pending " + settings.cluster());
            follower.setDaemon(true);
            follower.start();
        }
    }

    /**
     * How a name that resolves late joins the tasks: as a CRD found by {@link #followDiscovery} does, its
     * topics created and its watches (listing first, reason "discovered") assigned at a reconfiguration.
     */
    private PendingResources.Changes assignLater(BridgeSettings settings) {
        return new PendingResources.Changes() {
            @Override
            public void start(List<WatchTarget> appeared) {
                if (!ConnectorKeys.connectCreatesTopics(props)) {
                    createTopics(settings, props, appeared, true);
                }
                Set<String> keys = new LinkedHashSet<>(discovered);
                appeared.forEach(target -> keys.add(target.key()));
                discovered = Set.copyOf(keys);
                List<WatchTarget> next = new ArrayList<>(targets);
                next.addAll(appeared);
                targets = List.copyOf(next);
                context.requestTaskReconfiguration();
            }

            @Override
            public void pending(ResolvedTargets now) {
                // Logged by PendingResources; Connect's status shows the connector RUNNING with the tasks it has.
            }

            @Override
            public void failed(Exception e) {
                context.raiseError(e);
            }
        };
    }

    /**
     * resources = ["*"]: discovery again every watch.discovery-interval, and when the watches change (a CRD
     * installed or removed) the new set becomes the tasks' through requestTaskReconfiguration(). That is how
     * Connect expects a connector to follow its source: "the connector can monitor the external system for
     * changes ... and notify the framework via the ConnectorContext object that reconfiguration is necessary"
     * (Kafka's Connect developer guide, "Dynamic Input/Output Partitions"; ConnectorContext.requestTaskReconfiguration).
     * The worker then calls taskConfigs and restarts the tasks; each resumes from its offsets.
     */
    private void followDiscovery(BridgeSettings settings, ApiClient api) {
        String cluster = settings.cluster();
        while (true) {
            try {
                Pauser.REAL.pause(settings.discoveryInterval());
                DiscoveryDiff diff = DiscoveryDiff.between(targets, cluster,
                        WholeCluster.resolve(new Discovery(api), settings.onlyCluster().exclude()));
                if (diff.isEmpty()) {
                    continue;
                }
                if (!diff.appeared().isEmpty() && !ConnectorKeys.connectCreatesTopics(props)) {
                    createTopics(settings, props, diff.appeared(), true);
                }
                discovered = diff.applyToKeys(discovered);
                targets = diff.applyTo(targets);
                if (!diff.vanished().isEmpty()) {
                    log.warn("cluster {}: no longer served (a CRD removed?): {}; their watches stop at the reconfiguration, "
                            + "their offsets kept", cluster, diff.vanished().stream().map(t -> t.resource().qualifiedName()).toList());
                }
                if (!diff.appeared().isEmpty()) {
                    log.info("cluster {}: discovery found {}; their watches start at the reconfiguration", cluster,
                            diff.appeared().stream().map(t -> t.resource().qualifiedName()).toList());
                }
                context.requestTaskReconfiguration();
            } catch (InterruptedException e) {
                return; // stop()
            } catch (Exception e) {
                if (Interrupts.endedByInterrupt(e)) {
                    return; // stop() interrupted a request
                }
                // The API server or Kafka did not answer: the tasks keep streaming what they have; the next round tries again.
                log.warn("cluster {}: following discovery failed ({}); trying again in {} s", cluster, e.getMessage(),
                        settings.discoveryInterval().toSeconds());
            }
        }
    }

    /**
     * As the bridge creates them (compacted by default), with the credentials the connector's producer uses.
     * The notification and signal topics are created either way, before any task writes: Connect's
     * topic.creation would never create the signal topic (the tasks only read it), and would make the
     * notification topic like the object topics (compacted, which keeps only a watch's last notification).
     *
     * @param recordTopics false when topic.creation.* makes Connect create the topics the tasks write
     */
    private void createTopics(BridgeSettings settings, Map<String, String> props, List<WatchTarget> targets, boolean recordTopics) {
        KafkaSettings kafka = settings.kafka();
        TopicNames names = new TopicNames(kafka.topicTemplate());
        Set<String> topics = new LinkedHashSet<>();
        targets.forEach(target -> topics.add(names.topicFor(target)));
        try {
            TopicCreator creator = new TopicCreator(TopicReaderConfig.from(kafka.bootstrapServers(), props));
            if (recordTopics) {
                creator.ensureObjectTopics(topics, kafka.partitions(), kafka.replicationFactor(), kafka.topicConfig());
            }
            creator.ensureMessageTopics(List.of(kafka.notificationTopic(), kafka.signalTopic()), kafka.replicationFactor());
        } catch (ExecutionException e) {
            throw new ConnectException(e.getMessage() + (recordTopics ? "; no topic.creation.* key is set, so the connector creates its topics "
                    + "at " + kafka.bootstrapServers() + " itself (set topic.creation.* to let Connect create them instead)"
                    : "; the connector creates the notification and signal topics at " + kafka.bootstrapServers() + " itself"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while creating the topics " + topics, e);
        }
    }

    @Override
    public Class<? extends Task> taskClass() {
        return KubernetesSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (List<WatchTarget> share : WatchAssignment.split(targets, maxTasks, topicNames::topicFor)) {
            Map<String, String> config = new HashMap<>(props);
            config.put(WatchAssignment.WATCHES_CONFIG, WatchAssignment.encode(share));
            config.put(WatchAssignment.DISCOVERED_CONFIG, WatchAssignment.encodeDiscovered(share, discovered));
            if (configs.isEmpty()) {
                // One task answers signals naming a watch the connector does not run; it knows every watch of the connector.
                config.put(WatchAssignment.CONNECTOR_WATCHES_CONFIG, WatchAssignment.encodeKeys(targets));
            }
            configs.add(config);
        }
        return configs;
    }

    @Override
    public void stop() {
        // The tasks hold the watches; only the discovery follower runs in the connector.
        Thread running = follower;
        if (running != null) {
            running.interrupt();
            try {
                running.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public ConfigDef config() {
        return KubernetesSourceConfig.CONFIG_DEF;
    }

    /**
     * Field by field, as the bridge validates at start-up, then, when the values are sound, whether
     * the API server answers and serves every resource. A problem lands on the field to fix:
     * an unknown resource on resources, an unreachable server on kubernetes.url (or
     * kubernetes.kubeconfig when no URL is set).
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = new Config(new ArrayList<>(super.validate(connectorConfigs).configValues()));
        Map<String, ConfigValue> values = result.configValues().stream()
                .collect(Collectors.toMap(ConfigValue::name, Function.identity()));
        if (hasErrors(result)) {
            return result; // fix these first: reaching the cluster with broken settings would only add noise
        }
        Map<String, Object> parsed = KubernetesSourceConfig.CONFIG_DEF.parse(connectorConfigs);
        KubernetesSourceConfig.problemsByKey(parsed, connectorConfigs)
                .forEach((key, problems) -> problems.forEach(values.get(key)::addErrorMessage));
        // Keys of Connect's own (value.converter) or of nobody (a typo) get a value of their own to carry the error;
        // without the value itself, which may be a credential (kafka.producer.sasl.jaas.config).
        KubernetesSourceConfig.connectProblems(connectorConfigs).forEach((key, problems) -> problems.forEach(
                values.computeIfAbsent(key, k -> addValue(result, new ConfigValue(k)))
                        ::addErrorMessage));
        if (hasErrors(result)) {
            return result;
        }
        BridgeSettings settings = new KubernetesSourceConfig(connectorConfigs).bridgeSettings();
        String url = settings.kubernetes().url();
        ConfigValue connectionField = values.get(url == null || url.isEmpty() ? ConfigKeys.KUBECONFIG_CONFIG : ConfigKeys.URL_CONFIG);
        ApiClient api;
        try {
            api = ApiClients.forCluster(settings.kubernetes(), settings.watch());
        } catch (Exception e) {
            connectionField.addErrorMessage("cannot set up the connection to the API server: " + e.getMessage());
            return result;
        }
        Discovery discovery = new Discovery(api);
        for (ResourceSpec spec : settings.resources()) {
            if (spec.everyResource()) {
                continue; // what "*" resolves to is checked with the other entries by TargetResolver below
            }
            try {
                discovery.resolve(spec.resource());
            } catch (UnknownResourceException e) {
                values.get(ConfigKeys.RESOURCES_CONFIG).addErrorMessage(e.getMessage());
            } catch (GroupDiscoveryFailedException e) {
                // Not a mistake in the configuration: the connector starts with what resolves and retries this name.
                log.warn("validation: {}", e.getMessage());
            } catch (ApiException e) {
                connectionField.addErrorMessage("the API server at " + api.url() + " refused discovery: " + e.getMessage()
                        + (e.isAuthorizationFailure() ? " (check kubernetes.token or the kubeconfig credentials)" : ""));
                break;
            } catch (IOException e) {
                connectionField.addErrorMessage("the API server at " + api.url() + " is unreachable: " + e);
                break;
            }
        }
        if (!hasErrors(result)) {
            // Every name resolves; entries that resolve to one watch (pods and po) are the mistake left to find.
            try {
                TargetResolver.resolveWhatAnswers(settings.onlyCluster(), discovery, "");
            } catch (ConfigurationException e) {
                e.problems().forEach(values.get(ConfigKeys.RESOURCES_CONFIG)::addErrorMessage);
            } catch (Exception e) {
                connectionField.addErrorMessage("the API server at " + api.url() + " failed during discovery: " + e);
            }
        }
        return result;
    }

    private static ConfigValue addValue(Config config, ConfigValue value) {
        config.configValues().add(value);
        return value;
    }

    private static boolean hasErrors(Config config) {
        return config.configValues().stream().anyMatch(v -> !v.errorMessages().isEmpty());
    }

    /**
     * Offsets are resourceVersions, written by Connect in the same transaction as the records they
     * cover, and a watch resumed from one delivers exactly the events after it: no event twice.
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /**
     * The poll boundary is enough: a list interrupted between two transactions is resumed by listing
     * again and comparing with what the topic holds, so a partly committed list publishes nothing twice.
     */
    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        return ConnectorTransactionBoundaries.UNSUPPORTED;
    }

    /**
     * Any resourceVersion may be set, and any offset removed: an expired one leads to a list and a
     * comparison with the topic, and a removed one to a list, so neither loses or doubles an event.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        for (Map.Entry<Map<String, ?>, Map<String, ?>> entry : offsets.entrySet()) {
            Map<String, ?> partition = entry.getKey();
            if (!(partition.get(KubernetesSourceTask.CLUSTER_FIELD) instanceof String)
                    || !(partition.get(KubernetesSourceTask.WATCH_FIELD) instanceof String)) {
                throw new ConnectException("a source partition of this connector is {\"" + KubernetesSourceTask.CLUSTER_FIELD
                        + "\": ..., \"" + KubernetesSourceTask.WATCH_FIELD + "\": ...}, not " + partition);
            }
            Map<String, ?> offset = entry.getValue();
            if (offset != null && !(offset.get(KubernetesSourceTask.RESOURCE_VERSION_FIELD) instanceof String)) {
                throw new ConnectException("an offset of this connector is {\"" + KubernetesSourceTask.RESOURCE_VERSION_FIELD
                        + "\": \"<resourceVersion>\"}, not " + offset);
            }
        }
        return true;
    }
}
