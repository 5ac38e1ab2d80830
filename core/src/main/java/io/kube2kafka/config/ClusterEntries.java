package io.kube2kafka.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.kube2kafka.cluster.ConnectionSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the clusters to stream from: the top-level cluster, kubernetes and resources keys, or the
 * entries of a clusters list, each checked like the top-level ones with problems naming the entry.
 */
final class ClusterEntries {
    /** The keys of one entry of clusters. */
    private static final List<String> CLUSTER_FIELDS = List.of(ConfigKeys.CLUSTER_CONFIG, "kubernetes", ConfigKeys.RESOURCES_CONFIG,
            ConfigKeys.EXCLUDE_CONFIG);
    /** The single-cluster keys that a clusters list replaces. */
    static final List<String> SINGLE_CLUSTER_KEYS = List.of(ConfigKeys.CLUSTER_CONFIG, ConfigKeys.KUBECONFIG_CONFIG,
            ConfigKeys.CONTEXT_CONFIG, ConfigKeys.URL_CONFIG, ConfigKeys.TOKEN_CONFIG, ConfigKeys.TOKEN_FILE_CONFIG,
            ConfigKeys.CA_FILE_CONFIG, ConfigKeys.INSECURE_CONFIG, ConfigKeys.EXEC_TIMEOUT_CONFIG, ConfigKeys.HTTP2_CONFIG, ConfigKeys.RESOURCES_CONFIG,
            ConfigKeys.EXCLUDE_CONFIG);

    private ClusterEntries() {
    }

    /**
     * The top-level cluster when {@code clusters} is empty (the single-cluster configuration of the
     * contract), else one per entry. Giving both is an error: which one the user meant is not ours to guess.
     */
    static List<ClusterSettings> read(Config user, Config reference, Config config, List<String> problems) {
        ClusterSettings single = cluster(config, "", problems);
        if (!config.hasPath(ConfigKeys.CLUSTERS_CONFIG) || config.getValue(ConfigKeys.CLUSTERS_CONFIG).valueType() != ConfigValueType.LIST) {
            problems.add(ConfigKeys.CLUSTERS_CONFIG + ": must be a list like [{ cluster = \"a\", kubernetes { context = \"a\" }, resources = [pods] }]");
            return List.of(single);
        }
        List<? extends ConfigValue> items = config.getList(ConfigKeys.CLUSTERS_CONFIG);
        if (items.isEmpty()) {
            return List.of(single);
        }
        List<String> singleKeys = new ArrayList<>();
        for (String key : SINGLE_CLUSTER_KEYS) {
            if (user.hasPath(SettingsLoader.ROOT + "." + key)) {
                singleKeys.add(key);
            }
        }
        if (!singleKeys.isEmpty()) {
            problems.add(ConfigKeys.CLUSTERS_CONFIG + " and " + String.join(", ", singleKeys) + " are both set: with a clusters list, "
                    + "give each entry its own cluster, kubernetes and resources, and remove the top-level ones");
        }
        Config kubernetesDefaults = reference.getConfig(SettingsLoader.ROOT).withOnlyPath("kubernetes");
        List<ClusterSettings> clusters = new ArrayList<>();
        Map<String, String> firstByName = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String at = ConfigKeys.CLUSTERS_CONFIG + "[" + i + "]";
            if (!(items.get(i) instanceof ConfigObject entry)) {
                problems.add(at + ": must be an object like { cluster = \"a\", kubernetes { context = \"a\" }, resources = [pods] }");
                continue;
            }
            for (String field : entry.keySet()) {
                if (!CLUSTER_FIELDS.contains(field)) {
                    problems.add(at + "." + field + ": unknown key (allowed: " + String.join(", ", CLUSTER_FIELDS) + ")");
                }
            }
            if (entry.get("kubernetes") instanceof ConfigObject kubernetes) {
                Set<String> known = new HashSet<>();
                ConfigKeys.ALL.stream().map(ConfigKey::name).filter(n -> n.startsWith("kubernetes.")).forEach(known::add);
                for (Map.Entry<String, ConfigValue> field : kubernetes.toConfig().entrySet()) {
                    String path = "kubernetes." + String.join(".", ConfigUtil.splitPath(field.getKey()));
                    if (!known.contains(path)) {
                        problems.add(at + "." + path + ": unknown key" + DidYouMean.suggestion(path, known));
                    }
                }
            } else if (entry.containsKey("kubernetes")) {
                problems.add(at + ".kubernetes: must be an object like { url = \"https://...\" } or { context = \"a\" }");
                continue;
            }
            if (!entry.containsKey(ConfigKeys.CLUSTER_CONFIG)) {
                problems.add(at + ".cluster: missing; name the cluster, e.g. cluster = \"prod-eu1\" (it becomes part of topic names)");
                continue;
            }
            ClusterSettings cluster = cluster(entry.toConfig().withFallback(kubernetesDefaults), at + ".", problems);
            if (cluster.cluster() != null) {
                String first = firstByName.putIfAbsent(cluster.cluster(), at);
                if (first != null) {
                    problems.add(at + ".cluster=\"" + cluster.cluster() + "\": duplicates " + first + ".cluster; each cluster needs "
                            + "its own name (it is part of topic names and checkpoint keys)");
                }
            }
            clusters.add(cluster);
        }
        return clusters.isEmpty() ? List.of(single) : clusters;
    }

    /**
     * @param prefix "" for the top-level keys, "clusters[1]." for an entry: every problem names the key path
     */
    private static ClusterSettings cluster(Config config, String prefix, List<String> problems) {
        ValueReader read = new ValueReader(config, problems, prefix);
        String cluster = read.string(ConfigKeys.CLUSTER_CONFIG);
        if (cluster != null && !SettingsLoader.TOPIC_SAFE.matcher(cluster).matches()) {
            problems.add(prefix + ConfigKeys.CLUSTER_CONFIG + "=\"" + cluster + "\": must be letters, digits, '.', '_' or '-' (it becomes part of topic names)");
        }
        ConnectionSettings kubernetes = new ConnectionSettings(read.string(ConfigKeys.KUBECONFIG_CONFIG), read.string(ConfigKeys.CONTEXT_CONFIG),
                read.string(ConfigKeys.URL_CONFIG), read.string(ConfigKeys.TOKEN_CONFIG), read.string(ConfigKeys.TOKEN_FILE_CONFIG),
                read.string(ConfigKeys.CA_FILE_CONFIG), read.bool(ConfigKeys.INSECURE_CONFIG),
                read.positiveDuration(ConfigKeys.EXEC_TIMEOUT_CONFIG), read.bool(ConfigKeys.HTTP2_CONFIG));
        String url = kubernetes.url();
        if (url != null && !url.isEmpty() && !(url.startsWith("http://") || url.startsWith("https://"))) {
            problems.add(prefix + ConfigKeys.URL_CONFIG + "=\"" + url + "\": must start with http:// or https://");
        }
        if (kubernetes.tokenFile() != null && !kubernetes.tokenFile().isEmpty() && !Files.isReadable(Path.of(kubernetes.tokenFile()))) {
            problems.add(prefix + ConfigKeys.TOKEN_FILE_CONFIG + "=\"" + kubernetes.tokenFile() + "\": no readable file there");
        }
        if (kubernetes.caFile() != null && !kubernetes.caFile().isEmpty() && !Files.isReadable(Path.of(kubernetes.caFile()))) {
            problems.add(prefix + ConfigKeys.CA_FILE_CONFIG + "=\"" + kubernetes.caFile() + "\": no readable file there");
        }
        return new ClusterSettings(cluster, kubernetes, ResourceEntries.read(config, prefix, problems),
                ResourceEntries.readExclude(config, prefix, problems));
    }
}
