package io.kube2kafka.watch;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves resource names in kubectl's spelling ({@code plural[.version][.group]}, singular names and
 * short names too) through the API server's discovery documents, so custom resources work like
 * built-in ones.
 *
 * <p>Unqualified names prefer the core group, then groups in the order the server lists them, as
 * kubectl does: "events" is core/v1 events, not events.k8s.io.
 *
 * <p>A group version whose discovery fails (an aggregated API that is down answers 503) does not stop the
 * others from resolving, as in client-go, which returns what it found together with
 * {@code ErrGroupDiscoveryFailed} (discovery/discovery_client.go). Only a name that could be in the failed
 * group and is found nowhere else stays unresolved: a {@link GroupDiscoveryFailedException} naming the
 * group, which the caller retries; never "unknown resource" while a group it might be in did not answer.
 *
 * <p>A resource is only resolved if discovery lists both {@code list} and {@code watch} among its verbs:
 * the bridge does nothing else with it. One without them ({@code componentstatuses} has no watch,
 * {@code tokenreviews} only create) is a configuration error naming it.
 */
public final class Discovery {
    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);
    private final DiscoveryDocuments documents;
    private List<GroupVersions> groups;
    private final Map<String, List<ApiResource>> resourcesByGroupVersion = new HashMap<>();

    private record GroupVersions(String group, List<String> versions, String preferredVersion) {
    }

    public Discovery(ApiClient api) {
        this.documents = new DiscoveryDocuments(api);
    }

    /**
     * @throws UnknownResourceException naming the resource when the server does not serve it, or serves it
     *     without the list and watch verbs
     * @throws GroupDiscoveryFailedException when it is not found and a group it could be in did not answer
     */
    public ApiResource resolve(String name) throws IOException, UnknownResourceException {
        return requireWatchable(name, find(name));
    }

    /**
     * The resource a name in kubectl's spelling means, whatever its verbs: for names that remove resources
     * (exclude), where a resource that cannot be streamed is still a resource.
     *
     * @throws UnknownResourceException when the server serves no resource of that name
     * @throws GroupDiscoveryFailedException when it is not found and a group it could be in did not answer
     */
    public ApiResource identify(String name) throws IOException, UnknownResourceException {
        return find(name);
    }

    /**
     * Every resource the server serves with both the {@code list} and the {@code watch} verb, once per
     * group and resource, subresources ("pods/status") left out.
     *
     * <p>The version chosen is client-go's {@code ServerPreferredResources} (discovery/discovery_client.go):
     * the group's preferred version when the resource is served there, else the first version the group
     * lists that serves it. The verbs filter is {@code discovery.FilteredBy(discovery.SupportsAllVerbs{...})},
     * as in {@code kubectl api-resources --verbs=list,watch} and the garbage collector's
     * {@code GetDeletableResources}. As in client-go, a group version whose discovery fails
     * ({@code ErrGroupDiscoveryFailed}) is reported, not fatal: the others are still returned.
     *
     * @throws IOException when the group lists themselves (/api, /apis) cannot be read
     */
    public ServedResources watchableResources() throws IOException {
        List<ApiResource> found = new ArrayList<>();
        Map<String, IOException> failed = new LinkedHashMap<>();
        for (GroupVersions group : groups()) {
            Map<String, ApiResource> byPlural = new LinkedHashMap<>();
            for (String version : group.versions()) {
                JsonNode list;
                try {
                    list = resourceList(group.group(), version);
                } catch (IOException e) {
                    failed.put(groupVersion(group.group(), version), e);
                    continue;
                }
                boolean preferred = version.equals(group.preferredVersion());
                for (JsonNode entry : list.path("resources")) {
                    String plural = entry.path("name").asText();
                    if (plural.contains("/") || !hasVerbs(entry, "list", "watch")) {
                        continue;
                    }
                    if (preferred || !byPlural.containsKey(plural)) {
                        byPlural.put(plural, toResource(group.group(), version, entry));
                    }
                }
            }
            found.addAll(byPlural.values());
        }
        if (!failed.isEmpty()) {
            LOG.warn("discovery of {} failed; their resources are skipped until they answer: {}", failed.keySet(),
                    failed.values().stream().map(Throwable::getMessage).distinct().toList());
        }
        return new ServedResources(found, failed);
    }

    private static boolean hasVerbs(JsonNode entry, String... wanted) {
        List<String> verbs = new ArrayList<>();
        entry.path("verbs").forEach(verb -> verbs.add(verb.asText()));
        return verbs.containsAll(List.of(wanted));
    }

    private ApiResource find(String name) throws IOException, UnknownResourceException {
        List<GroupVersions> all = groups();
        int dot = name.indexOf('.');
        String resource = dot < 0 ? name : name.substring(0, dot);
        String qualifier = dot < 0 ? null : name.substring(dot + 1);
        if (qualifier == null) {
            Map<String, IOException> failed = new LinkedHashMap<>();
            for (GroupVersions group : all) {
                try {
                    ApiResource found = find(group.group(), group.preferredVersion(), resource);
                    if (found != null) {
                        if (!failed.isEmpty()) {
                            LOG.warn("{} resolved to {}, though discovery of {} (searched before it, as kubectl does) "
                                    + "failed; qualify the name to be sure", name, found.qualifiedName(), failed.keySet());
                        }
                        return found;
                    }
                } catch (IOException e) {
                    failed.put(groupVersion(group.group(), group.preferredVersion()), e);
                }
            }
            if (!failed.isEmpty()) {
                throw new GroupDiscoveryFailedException(name, failed);
            }
            throw new UnknownResourceException(name, "the API server serves no resource of that name");
        }
        int versionDot = qualifier.indexOf('.');
        if (versionDot > 0) {
            String version = qualifier.substring(0, versionDot);
            GroupVersions group = group(all, qualifier.substring(versionDot + 1));
            if (group != null && group.versions().contains(version)) {
                return require(findIn(name, group.group(), version, resource), name, groupVersion(group.group(), version));
            }
        }
        GroupVersions group = group(all, qualifier);
        if (group != null) {
            return require(findIn(name, group.group(), group.preferredVersion(), resource), name,
                    groupVersion(qualifier, group.preferredVersion()));
        }
        GroupVersions core = group(all, "");
        if (core != null && core.versions().contains(qualifier)) {
            return require(findIn(name, "", qualifier, resource), name, qualifier);
        }
        throw new UnknownResourceException(name, "the API server serves no API group \"" + qualifier + "\"");
    }

    /** Like {@link #find(String, String, String)}, for a name that can only be in this group version. */
    private ApiResource findIn(String name, String group, String version, String resource) throws IOException {
        try {
            return find(group, version, resource);
        } catch (IOException e) {
            throw new GroupDiscoveryFailedException(name, Map.of(groupVersion(group, version), e));
        }
    }

    private static String groupVersion(String group, String version) {
        return group.isEmpty() ? version : group + "/" + version;
    }

    private static ApiResource require(ApiResource found, String name, String groupVersion) throws UnknownResourceException {
        if (found == null) {
            throw new UnknownResourceException(name, "API group version " + groupVersion + " has no such resource");
        }
        return found;
    }

    /** The bridge lists and watches, nothing else; a resource without those verbs cannot be streamed. */
    private ApiResource requireWatchable(String name, ApiResource resource) throws IOException, UnknownResourceException {
        List<String> verbs = new ArrayList<>();
        for (JsonNode entry : resourceList(resource.group(), resource.version()).path("resources")) {
            if (entry.path("name").asText().equals(resource.plural())) {
                entry.path("verbs").forEach(verb -> verbs.add(verb.asText()));
            }
        }
        if (!verbs.containsAll(List.of("list", "watch"))) {
            throw UnknownResourceException.notWatchable(name, resource.qualifiedName(), verbs);
        }
        return resource;
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

    private JsonNode resourceList(String group, String version) throws IOException {
        return documents.resourceList(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
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
        documents.root("/api").path("versions").forEach(v -> coreVersions.add(v.asText()));
        if (!coreVersions.isEmpty()) {
            found.add(new GroupVersions("", coreVersions, coreVersions.get(0)));
        }
        for (JsonNode group : documents.root("/apis").path("groups")) {
            List<String> versions = new ArrayList<>();
            group.path("versions").forEach(v -> versions.add(v.path("version").asText()));
            String preferred = group.path("preferredVersion").path("version").asText(versions.isEmpty() ? "" : versions.get(0));
            found.add(new GroupVersions(group.path("name").asText(), versions, preferred));
        }
        groups = found;
        return groups;
    }
}
