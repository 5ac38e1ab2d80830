package io.kube2kafka.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import java.util.List;
import java.util.Set;

/** Reads output.drop-paths: the JSON Pointers of fields to leave out of every record. */
final class DropPathsSetting {
    /** Fields a consumer needs to identify a record's object; dropping them would break keys and headers. */
    private static final Set<String> UNDROPPABLE = Set.of("/kind", "/apiVersion", "/metadata", "/metadata/uid", "/metadata/name",
            "/metadata/namespace", "/metadata/resourceVersion");

    static List<String> read(Config config, List<String> problems) {
        String key = ConfigKeys.DROP_PATHS_CONFIG;
        List<String> paths;
        try {
            paths = config.getStringList(key);
        } catch (ConfigException e) {
            problems.add(key + ": must be a list of JSON Pointers like [\"/status\", \"/metadata/annotations/example.com~1note\"]");
            return List.of();
        }
        for (String path : paths) {
            if (!path.startsWith("/")) {
                problems.add(key + " entry \"" + path + "\": must be a JSON Pointer starting with '/' (\"/metadata/labels/x\"; '~1' stands for '/' inside a name)");
                continue;
            }
            try {
                com.fasterxml.jackson.core.JsonPointer.compile(path);
            } catch (IllegalArgumentException e) {
                problems.add(key + " entry \"" + path + "\": not a JSON Pointer (" + e.getMessage() + ")");
                continue;
            }
            if (UNDROPPABLE.contains(path)) {
                problems.add(key + " entry \"" + path + "\": identifies the object (keys and headers need it); it cannot be dropped");
            }
        }
        return List.copyOf(paths);
    }

    private DropPathsSetting() {
    }
}
