package io.kube2kafka.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One or more kubeconfig files merged the way kubectl merges {@code $KUBECONFIG}: the first file to define
 * a cluster, user or context name wins, and so does the first non-empty current-context. Every entry
 * remembers the file it came from, because relative paths in it are relative to that file's directory and
 * errors must name the file to fix.
 */
final class Kubeconfig {
    private static final YAMLMapper YAML = new YAMLMapper();

    /** A cluster, user or context entry: its name, its body ({@code cluster:}, {@code user:}, ...) and its file. */
    record Entry(String kind, String name, JsonNode body, Path file) {
        /** Prefix for errors about this entry: {@code kubeconfig /x/config: user "admin"}. */
        String where() {
            return "kubeconfig " + file + ": " + kind + " \"" + name + "\"";
        }

        String text(String key) throws ClusterConfigException {
            JsonNode value = body.path(key);
            if (value.isMissingNode() || value.isNull()) {
                return "";
            }
            if (!value.isValueNode()) {
                throw new ClusterConfigException(where() + ": " + key + " must be a string, not " + value);
            }
            return value.asText();
        }

        boolean flag(String key) throws ClusterConfigException {
            JsonNode value = body.path(key);
            if (value.isMissingNode() || value.isNull()) {
                return false;
            }
            if (value.isBoolean()) {
                return value.booleanValue();
            }
            if (value.isTextual() && (value.asText().equals("true") || value.asText().equals("false"))) {
                return Boolean.parseBoolean(value.asText());
            }
            throw new ClusterConfigException(where() + ": " + key + " must be true or false, not " + value);
        }

        /** A path as written in the file, made absolute against the file's directory. */
        Path path(String key) throws ClusterConfigException {
            String value = text(key);
            return value.isEmpty() ? null : resolve(value);
        }

        Path resolve(String value) {
            Path path = Path.of(value);
            Path directory = file.toAbsolutePath().getParent();
            return path.isAbsolute() || directory == null ? path : directory.resolve(path).normalize();
        }
    }

    private final String description;
    private final Map<String, Entry> clusters = new LinkedHashMap<>();
    private final Map<String, Entry> users = new LinkedHashMap<>();
    private final Map<String, Entry> contexts = new LinkedHashMap<>();
    private String currentContext = "";

    private Kubeconfig(String description) {
        this.description = description;
    }

    /** @param files in precedence order; each must exist */
    static Kubeconfig load(List<Path> files) throws ClusterConfigException {
        Kubeconfig config = new Kubeconfig("kubeconfig " + files.stream().map(Path::toString)
                .collect(Collectors.joining(":")));
        for (Path file : files) {
            config.merge(file);
        }
        return config;
    }

    private void merge(Path file) throws ClusterConfigException {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ClusterConfigException("kubeconfig " + file + ": cannot read it as YAML: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return; // kubectl accepts an empty file as an empty config
        }
        if (!root.isObject()) {
            throw new ClusterConfigException("kubeconfig " + file + ": expected a mapping (apiVersion, kind: Config, "
                    + "clusters, users, contexts), found " + root.getNodeType());
        }
        mergeList(file, root, "clusters", "cluster", clusters);
        mergeList(file, root, "users", "user", users);
        mergeList(file, root, "contexts", "context", contexts);
        String current = root.path("current-context").asText("");
        if (currentContext.isEmpty() && !current.isEmpty()) {
            currentContext = current;
        }
    }

    private static void mergeList(Path file, JsonNode root, String listKey, String kind, Map<String, Entry> into)
            throws ClusterConfigException {
        JsonNode list = root.path(listKey);
        if (list.isMissingNode() || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            throw new ClusterConfigException("kubeconfig " + file + ": " + listKey + " must be a list");
        }
        int index = 0;
        for (JsonNode item : list) {
            String name = item.path("name").asText("");
            if (name.isEmpty()) {
                throw new ClusterConfigException("kubeconfig " + file + ": " + listKey + "[" + index + "] has no name");
            }
            JsonNode body = item.path(kind);
            if (!body.isObject() && !body.isMissingNode() && !body.isNull()) {
                throw new ClusterConfigException("kubeconfig " + file + ": " + kind + " \"" + name + "\": "
                        + kind + " must be a mapping");
            }
            into.putIfAbsent(name, new Entry(kind, name, body.isObject() ? body : MissingNode.getInstance(), file));
            index++;
        }
    }

    /** The context, cluster and user to use; user is null for a context without one. */
    record Selection(Entry context, Entry cluster, Entry user) {
    }

    /** @param contextName "" for current-context */
    Selection select(String contextName) throws ClusterConfigException {
        String name = contextName;
        if (name.isEmpty()) {
            name = currentContext;
            if (name.isEmpty()) {
                throw new ClusterConfigException(description + ": no current-context is set and kubernetes.context "
                        + "is empty; set one of them" + list("contexts", contexts));
            }
        }
        Entry context = contexts.get(name);
        if (context == null) {
            throw new ClusterConfigException(description + ": context \"" + name + "\" not found"
                    + list("contexts", contexts) + (contextName.isEmpty() ? " (it is the current-context)" : ""));
        }
        String clusterName = context.text("cluster");
        if (clusterName.isEmpty()) {
            throw new ClusterConfigException(context.where() + ": cluster is empty");
        }
        Entry cluster = clusters.get(clusterName);
        if (cluster == null) {
            throw new ClusterConfigException(context.where() + ": cluster \"" + clusterName + "\" not found"
                    + list("clusters", clusters));
        }
        String userName = context.text("user");
        Entry user = null;
        if (!userName.isEmpty()) {
            user = users.get(userName);
            if (user == null) {
                throw new ClusterConfigException(context.where() + ": user \"" + userName + "\" not found"
                        + list("users", users));
            }
        }
        return new Selection(context, cluster, user);
    }

    private static String list(String what, Map<String, Entry> entries) {
        return entries.isEmpty() ? " (no " + what + " defined)"
                : " (" + what + ": " + String.join(", ", new ArrayList<>(entries.keySet())) + ")";
    }
}
