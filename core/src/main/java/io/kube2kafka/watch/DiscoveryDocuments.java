package io.kube2kafka.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The discovery documents {@link Discovery} reads, in the legacy shapes: {@code /api} (APIVersions),
 * {@code /apis} (APIGroupList) and each group version's APIResourceList.
 *
 * <p>They are asked for as aggregated discovery first (GA in Kubernetes 1.30): {@code /api} and
 * {@code /apis} then answer with an APIGroupDiscoveryList holding every group version's resources, so a
 * discovery round costs two requests instead of two plus one per group version (some 300 with 300
 * CRDs, every {@code watch.discovery-interval}). The request is client-go's: the v2 media type first,
 * then plain JSON, and the answer's Content-Type says which one the server chose
 * ({@code discovery_client.go}: AcceptV2, acceptDiscoveryFormats). A server that does not know it
 * answers the legacy document, and each group version is then read on its own, as before.
 *
 * <p>The aggregated document is converted as client-go's {@code aggregated_discovery.go} converts it
 * (convertAPIGroup), subresources left out (the bridge never uses them). A group version marked
 * {@code freshness: Stale} (its aggregated API server did not answer) is not taken from the document:
 * it is read from its own endpoint, which answers 503 while that server is down, so it fails exactly as
 * without aggregated discovery and is never remembered as failed. Unlike client-go, which prefers the
 * first version that is not stale, the preferred version stays the first one listed: which version a
 * watch reads must not change with an outage, so a name in a stale preferred version waits for it
 * ({@link GroupDiscoveryFailedException}).
 */
final class DiscoveryDocuments {
    static final String AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private static final String ACCEPT = AGGREGATED_V2 + ",application/json";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ApiClient api;
    /** Resource lists by path (/api/v1, /apis/apps/v1), from the aggregated documents or read one by one. */
    private final Map<String, JsonNode> resourceLists = new HashMap<>();

    DiscoveryDocuments(ApiClient api) {
        this.api = api;
    }

    /** {@code /api} or {@code /apis}, in the legacy shape whichever shape the server answered in. */
    JsonNode root(String path) throws IOException {
        ApiClient.Negotiated answer = api.getJson(path, ACCEPT);
        if (!isAggregated(answer.contentType())) {
            return answer.body();
        }
        // /api answers APIVersions (its one group's version names), /apis an APIGroupList.
        boolean core = path.equals("/api");
        ObjectNode legacy = NODES.objectNode();
        ArrayNode entries = legacy.putArray(core ? "versions" : "groups");
        for (JsonNode item : answer.body().path("items")) {
            String group = item.path("metadata").path("name").asText();
            ObjectNode groupEntry = NODES.objectNode().put("name", group);
            ArrayNode versions = groupEntry.putArray("versions");
            for (JsonNode version : item.path("versions")) {
                String name = version.path("version").asText();
                String listPath = group.isEmpty() ? "/api/" + name : "/apis/" + group + "/" + name;
                if (!"Stale".equals(version.path("freshness").asText())) {
                    resourceLists.put(listPath, resourceList(group, name, version.path("resources")));
                }
                versions.addObject().put("version", name);
                if (core) {
                    entries.add(name);
                }
            }
            if (!core) {
                if (!versions.isEmpty()) {
                    groupEntry.putObject("preferredVersion").put("version", versions.get(0).path("version").asText());
                }
                entries.add(groupEntry);
            }
        }
        return legacy;
    }

    /** A group version's APIResourceList: from an aggregated document when it listed it fresh, else from its own endpoint. */
    JsonNode resourceList(String path) throws IOException {
        JsonNode list = resourceLists.get(path);
        if (list == null) {
            list = api.getJson(path);
            resourceLists.put(path, list);
        }
        return list;
    }

    private static boolean isAggregated(String contentType) {
        String type = contentType.replace(" ", "");
        return type.contains("g=apidiscovery.k8s.io") && type.contains("as=APIGroupDiscoveryList");
    }

    /** APIResourceDiscovery entries as APIResourceList entries (convertAPIResource), subresources left out. */
    private static JsonNode resourceList(String group, String version, JsonNode resources) {
        ObjectNode list = NODES.objectNode().put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode entries = list.putArray("resources");
        for (JsonNode resource : resources) {
            ObjectNode entry = entries.addObject()
                    .put("name", resource.path("resource").asText())
                    .put("singularName", resource.path("singularResource").asText())
                    .put("namespaced", "Namespaced".equals(resource.path("scope").asText()))
                    .put("kind", resource.path("responseKind").path("kind").asText());
            entry.set("verbs", resource.path("verbs").deepCopy());
            if (resource.has("shortNames")) {
                entry.set("shortNames", resource.get("shortNames").deepCopy());
            }
        }
        return list;
    }
}
