package io.kube2kafka.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a resources list (top-level or of one clusters entry) into ResourceSpecs: each entry is a
 * resource name or { resource, namespaces, label-selector, field-selector }, or "*" alone: every resource.
 */
final class ResourceEntries {
    /** plural[.version][.group] (or a singular or short name), lower case as the API server spells them. */
    private static final Pattern KUBECTL_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    private static final Set<String> RESOURCE_FIELDS = Set.of("resource", "namespaces", "label-selector", "field-selector");

    private ResourceEntries() {
    }

    /** @param prefix "" for the top-level keys, "clusters[1]." for an entry: every problem names the key path */
    static List<ResourceSpec> read(Config config, String prefix, List<String> problems) {
        List<ResourceSpec> specs = new ArrayList<>();
        if (!config.hasPath(ConfigKeys.RESOURCES_CONFIG) || config.getValue(ConfigKeys.RESOURCES_CONFIG).valueType() != ConfigValueType.LIST) {
            problems.add(prefix + ConfigKeys.RESOURCES_CONFIG + ": " + (config.hasPath(ConfigKeys.RESOURCES_CONFIG) ? "" : "missing; ")
                    + "must be a list like [{ resource = \"pods\" }]");
            return specs;
        }
        List<? extends ConfigValue> items = config.getList(ConfigKeys.RESOURCES_CONFIG);
        if (items.isEmpty()) {
            problems.add(prefix + ConfigKeys.RESOURCES_CONFIG + "=[]: name at least one resource to stream");
        }
        for (int i = 0; i < items.size(); i++) {
            String at = prefix + ConfigKeys.RESOURCES_CONFIG + "[" + i + "]";
            ConfigValue item = items.get(i);
            if (item.valueType() == ConfigValueType.STRING) {
                specs.add(new ResourceSpec((String) item.unwrapped(), List.of(), "", ""));
                continue;
            }
            if (item.valueType() != ConfigValueType.OBJECT) {
                problems.add(at + ": must be an object like { resource = \"pods\" } or a resource name");
                continue;
            }
            Config entry = ((ConfigObject) item).toConfig();
            for (String field : ((ConfigObject) item).keySet()) {
                if (!RESOURCE_FIELDS.contains(field)) {
                    problems.add(at + "." + field + ": unknown key (allowed: resource, namespaces, label-selector, field-selector)");
                }
            }
            try {
                String resource = entry.getString("resource");
                if (resource.equals(ResourceSpec.EVERY_RESOURCE)) {
                    if (((ConfigObject) item).size() > 1) {
                        problems.add(at + ": \"*\" takes no namespaces or selectors; it streams every resource whole. "
                                + "To narrow one resource, name it instead of \"*\"");
                    }
                } else if (!KUBECTL_NAME.matcher(resource).matches()) {
                    problems.add(at + ".resource=\"" + resource + "\": not a resource name in kubectl spelling (plural[.version][.group])");
                }
                List<String> namespaces = entry.hasPath("namespaces") ? entry.getStringList("namespaces") : List.of();
                specs.add(new ResourceSpec(resource, namespaces,
                        entry.hasPath("label-selector") ? entry.getString("label-selector") : "",
                        entry.hasPath("field-selector") ? entry.getString("field-selector") : ""));
            } catch (ConfigException.Missing e) {
                problems.add(at + ".resource: missing; name the resource, e.g. resource = \"pods\"");
            } catch (ConfigException.WrongType e) {
                problems.add(at + ": " + e.getMessage());
            }
        }
        if (specs.size() > 1 && specs.stream().anyMatch(ResourceSpec::everyResource)) {
            // "*" already holds every named resource: with a second entry the same objects would be streamed twice,
            // or the entry would mean "instead of", which is what exclude says plainly.
            problems.add(prefix + ConfigKeys.RESOURCES_CONFIG + ": \"*\" streams every resource, so it stands alone: remove the other "
                    + "entries, or name the resources without \"*\"; use " + prefix + ConfigKeys.EXCLUDE_CONFIG + " to leave resources out");
        }
        return specs;
    }

    /**
     * {@code exclude}: kubectl names, checked like the entries of resources. The default (both kinds of
     * events) applies when the key is absent; an entry of {@code clusters} has its own.
     */
    static List<String> readExclude(Config config, String prefix, List<String> problems) {
        if (!config.hasPath(ConfigKeys.EXCLUDE_CONFIG)) {
            return ClusterSettings.DEFAULT_EXCLUDE;
        }
        List<String> exclude;
        try {
            exclude = config.getStringList(ConfigKeys.EXCLUDE_CONFIG);
        } catch (ConfigException.WrongType e) {
            problems.add(prefix + ConfigKeys.EXCLUDE_CONFIG + ": must be a list of resource names like [\"events\", \"events.events.k8s.io\"]");
            return List.of();
        }
        for (int i = 0; i < exclude.size(); i++) {
            if (!KUBECTL_NAME.matcher(exclude.get(i)).matches()) {
                problems.add(prefix + ConfigKeys.EXCLUDE_CONFIG + "[" + i + "]=\"" + exclude.get(i)
                        + "\": not a resource name in kubectl spelling (plural[.version][.group])");
            }
        }
        return exclude;
    }
}
