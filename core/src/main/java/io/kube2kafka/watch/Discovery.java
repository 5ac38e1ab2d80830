package io.kube2kafka.watch;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves resource names in kubectl's spelling ({@code plural[.version][.group]}, singular names and
 * short names too) through the API server's discovery documents, so custom resources work like
 * built-in ones.
 *
 * <p>Unqualified names prefer the core group, then groups in the order the server lists them, as
 * kubectl does: "events" is core/v1 events, not events.k8s.io.
 */
public final class Discovery {
    private final ApiClient api;
    private List<GroupVersions> groups;
    private final Map<String, List<ApiResource>> resourcesByGroupVersion = new HashMap<>();

    private record GroupVersions(String group, List<String> versions, String preferredVersion) {
    }

    public Discovery(ApiClient api) {
        this.api = api;
    }

    /** @throws UnknownResourceException naming the resource when the server does not serve it */
    public ApiResource resolve(String name) throws IOException, UnknownResourceException {
        List<GroupVersions> all = groups();
        int dot = name.indexOf('.');
        String resource = dot < 0 ? name : name.substring(0, dot);
        String qualifier = dot < 0 ? null : name.substring(dot + 1);
        if (qualifier == null) {
            for (GroupVersions group : all) {
                ApiResource found = find(group.group(), group.preferredVersion(), resource);
                if (found != null) {
                    return found;
                }
            }
            throw new UnknownResourceException(name, "the API server serves no resource of that name");
        }
        int versionDot = qualifier.indexOf('.');
        if (versionDot > 0) {
            String version = qualifier.substring(0, versionDot);
            GroupVersions group = group(all, qualifier.substring(versionDot + 1));
            if (group != null && group.versions().contains(version)) {
                return require(find(group.group(), version, resource), name, group.group() + "/" + version);
            }
        }
        GroupVersions group = group(all, qualifier);
        if (group != null) {
            return require(find(group.group(), group.preferredVersion(), resource), name, qualifier + "/" + group.preferredVersion());
        }
        GroupVersions core = group(all, "");
        if (core != null && core.versions().contains(qualifier)) {
            return require(find("", qualifier, resource), name, qualifier);
        }
        throw new UnknownResourceException(name, "the API server serves no API group \"" + qualifier + "\"");
    }

    private static ApiResource require(ApiResource found, String name, String groupVersion) throws UnknownResourceException {
        if (found == null) {
            throw new UnknownResourceException(name, "API group version " + groupVersion + " has no such resource");
        }
        return found;
    }

    private static GroupVersions group(List<GroupVersions> all, String name) {
        return all.stream().filter(g -> g.group().equals(name)).findFirst().orElse(null);
    }

    private ApiResource find(String group, String version, String name) throws IOException {
        for (ApiResource resource : resources(group, version)) {
            if (resource.plural().equals(name)) {
                return resource;
            }
        }
        for (JsonNode entry : resourceList(group, version).path("resources")) {
            if (entry.path("name").asText().contains("/")) {
                continue;
            }
            boolean alias = name.equals(entry.path("singularName").asText())
                    || name.equalsIgnoreCase(entry.path("kind").asText());
            for (JsonNode shortName : entry.path("shortNames")) {
                alias |= name.equals(shortName.asText());
            }
            if (alias) {
                return toResource(group, version, entry);
            }
        }
        return null;
    }

    private List<ApiResource> resources(String group, String version) throws IOException {
        String key = group + "/" + version;
        List<ApiResource> cached = resourcesByGroupVersion.get(key);
        if (cached != null) {
            return cached;
        }
        List<ApiResource> resources = new ArrayList<>();
        for (JsonNode entry : resourceList(group, version).path("resources")) {
            if (!entry.path("name").asText().contains("/")) {
                resources.add(toResource(group, version, entry));
            }
        }
        resourcesByGroupVersion.put(key, resources);
        return resources;
    }

    private final Map<String, JsonNode> resourceLists = new HashMap<>();

    private JsonNode resourceList(String group, String version) throws IOException {
        String path = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        JsonNode list = resourceLists.get(path);
        if (list == null) {
            list = api.getJson(path);
            resourceLists.put(path, list);
        }
        return list;
    }

    private static ApiResource toResource(String group, String version, JsonNode entry) {
        return new ApiResource(group, version, entry.path("name").asText(), entry.path("kind").asText(),
                entry.path("namespaced").asBoolean());
    }

    private List<GroupVersions> groups() throws IOException {
        if (groups != null) {
            return groups;
        }
        List<GroupVersions> found = new ArrayList<>();
        List<String> coreVersions = new ArrayList<>();
        api.getJson("/api").path("versions").forEach(v -> coreVersions.add(v.asText()));
        if (!coreVersions.isEmpty()) {
            found.add(new GroupVersions("", coreVersions, coreVersions.get(0)));
        }
        for (JsonNode group : api.getJson("/apis").path("groups")) {
            List<String> versions = new ArrayList<>();
            group.path("versions").forEach(v -> versions.add(v.path("version").asText()));
            String preferred = group.path("preferredVersion").path("version").asText(versions.isEmpty() ? "" : versions.get(0));
            found.add(new GroupVersions(group.path("name").asText(), versions, preferred));
        }
        groups = found;
        return groups;
    }
}
