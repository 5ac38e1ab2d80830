package io.kube2kafka.connect;

import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.cluster.ConnectionResolver;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.ConfigKeys;
import io.kube2kafka.config.ResourceSpec;
import io.kube2kafka.watch.ApiClient;
import io.kube2kafka.watch.ApiException;
import io.kube2kafka.watch.Discovery;
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
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Streams Kubernetes objects into Kafka from inside Kafka Connect, with the standalone bridge's watch
 * core: every configured resource is resolved through discovery into watches (source partitions),
 * which are spread round-robin over at most tasks.max tasks. More tasks than watches would idle, so
 * there are never more.
 */
public final class KubernetesSourceConnector extends SourceConnector {
    private static final Logger log = LoggerFactory.getLogger(KubernetesSourceConnector.class);
    static final String VERSION = "0.1.0";

    private Map<String, String> props;
    private List<WatchTarget> targets;

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        KubernetesSourceConfig config = new KubernetesSourceConfig(props);
        BridgeSettings settings = config.bridgeSettings();
        try {
            ApiClient api = new ApiClient(new ConnectionResolver().resolve(settings.kubernetes()), settings.watch());
            targets = Bridge.resolveTargets(settings, new Discovery(api));
        } catch (Exception e) {
            throw new ConnectException("cannot resolve the resources " + config.getString(ConfigKeys.RESOURCES_CONFIG)
                    + " on the API server: " + e.getMessage(), e);
        }
        this.props = Map.copyOf(props);
        log.info("{} watch(es) of cluster {}: {}", targets.size(), settings.cluster(), targets);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return KubernetesSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (List<WatchTarget> share : WatchAssignment.split(targets, maxTasks)) {
            Map<String, String> config = new HashMap<>(props);
            config.put(WatchAssignment.WATCHES_CONFIG, WatchAssignment.encode(share));
            configs.add(config);
        }
        return configs;
    }

    @Override
    public void stop() {
        // Nothing runs in the connector itself: the tasks hold the watches.
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
        Config result = super.validate(connectorConfigs);
        Map<String, ConfigValue> values = result.configValues().stream()
                .collect(Collectors.toMap(ConfigValue::name, Function.identity()));
        if (hasErrors(result)) {
            return result; // fix these first: reaching the cluster with broken settings would only add noise
        }
        Map<String, Object> parsed = KubernetesSourceConfig.CONFIG_DEF.parse(connectorConfigs);
        KubernetesSourceConfig.problemsByKey(parsed).forEach((key, problems) -> problems.forEach(values.get(key)::addErrorMessage));
        if (hasErrors(result)) {
            return result;
        }
        BridgeSettings settings = new KubernetesSourceConfig(connectorConfigs).bridgeSettings();
        String url = settings.kubernetes().url();
        ConfigValue connectionField = values.get(url == null || url.isEmpty() ? ConfigKeys.KUBECONFIG_CONFIG : ConfigKeys.URL_CONFIG);
        ApiClient api;
        try {
            api = new ApiClient(new ConnectionResolver().resolve(settings.kubernetes()), settings.watch());
        } catch (Exception e) {
            connectionField.addErrorMessage("cannot set up the connection to the API server: " + e.getMessage());
            return result;
        }
        Discovery discovery = new Discovery(api);
        for (ResourceSpec spec : settings.resources()) {
            try {
                discovery.resolve(spec.resource());
            } catch (UnknownResourceException e) {
                values.get(ConfigKeys.RESOURCES_CONFIG).addErrorMessage(e.getMessage());
            } catch (ApiException e) {
                connectionField.addErrorMessage("the API server at " + api.url() + " refused discovery: " + e.getMessage()
                        + (e.isAuthorizationFailure() ? " (check kubernetes.token or the kubeconfig credentials)" : ""));
                break;
            } catch (IOException e) {
                connectionField.addErrorMessage("the API server at " + api.url() + " is unreachable: " + e);
                break;
            }
        }
        return result;
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
