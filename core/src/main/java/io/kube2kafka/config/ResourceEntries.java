package io.kube2kafka.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a resources list (top-level or of one clusters entry) into ResourceSpecs: each entry is a
 * resource name or { resource, namespaces, label-selector, field-selector }.
 */
final class ResourceEntries {
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
                if (!resource.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
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
        return specs;
    }
}
