package io.kube2kafka.cli.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube2kafka.watch.ApiClient;
import io.kube2kafka.watch.ApiException;
import io.kube2kafka.watch.ApiResource;
import io.kube2kafka.watch.WatchTarget;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Whether the bridge's identity may list and watch one watch target: asked with a
 * SelfSubjectAccessReview where the server serves them, otherwise (or when asking is not allowed)
 * probed with a limit=1 list and a watch that is opened and cancelled at once.
 */
final class ListWatchPermissions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiClient api;
    private final boolean accessReviews;
    private final Consumer<CheckLine> report;

    private ListWatchPermissions(ApiClient api, boolean accessReviews, Consumer<CheckLine> report) {
        this.api = api;
        this.accessReviews = accessReviews;
        this.report = report;
    }

    /** Asks the server once whether it serves access reviews. */
    static ListWatchPermissions on(ApiClient api, Consumer<CheckLine> report) {
        return new ListWatchPermissions(api, servesAccessReviews(api), report);
    }

    private static boolean servesAccessReviews(ApiClient api) {
        try {
            for (JsonNode group : api.getJson("/apis").path("groups")) {
                if ("authorization.k8s.io".equals(group.path("name").asText())) {
                    return true;
                }
            }
        } catch (IOException e) {
            // Without the group list, the list/watch probes below still answer the question.
        }
        return false;
    }

    void check(WatchTarget target) {
        ApiResource resource = target.resource();
        String where = target.namespace().isEmpty() ? (resource.namespaced() ? "in all namespaces" : "") : "in namespace " + target.namespace();
        String fix = "grant get, list and watch on " + resource.plural() + (resource.group().isEmpty() ? "" : "." + resource.group())
                + " to the bridge's identity (deploy/rbac.yaml has a ClusterRole)";
        if (accessReviews) {
            try {
                for (String verb : List.of("list", "watch")) {
                    JsonNode status = accessReview(target, verb).path("status");
                    String item = verb + " " + resource.qualifiedName() + (where.isEmpty() ? "" : " " + where);
                    if (status.path("allowed").asBoolean(false)) {
                        report.accept(CheckLine.ok(item, "allowed (SelfSubjectAccessReview)"));
                    } else {
                        report.accept(CheckLine.fail(item,
                                "denied" + (status.path("reason").asText("").isEmpty() ? "" : ": " + status.path("reason").asText()), fix));
                    }
                }
                return;
            } catch (ApiException e) {
                if (e.code() != 404 && e.code() != 405 && e.code() != 403) {
                    report.accept(CheckLine.fail("access review for " + resource.qualifiedName(), e.getMessage(),
                            "check the API server's authorization API"));
                    return;
                }
                // Not served, or not allowed to ask: probe with the requests themselves below.
            } catch (IOException e) {
                report.accept(CheckLine.fail("access review for " + resource.qualifiedName(), e.getMessage(), "check the API server's health"));
                return;
            }
        }
        probe(target, where, fix);
    }

    /** Lists one item and opens a watch from its resourceVersion, as the bridge itself would. */
    private void probe(WatchTarget target, String where, String fix) {
        ApiResource resource = target.resource();
        String path = resource.collectionPath(target.namespace());
        String listItem = "list " + resource.qualifiedName() + (where.isEmpty() ? "" : " " + where);
        String watchItem = "watch " + resource.qualifiedName() + (where.isEmpty() ? "" : " " + where);
        String resourceVersion;
        try {
            Map<String, String> query = selectors(target);
            query.put("limit", "1");
            resourceVersion = JSON.readTree(api.get(path, query)).path("metadata").path("resourceVersion").asText("");
            report.accept(CheckLine.ok(listItem, "allowed (a limit=1 list answered)"));
        } catch (IOException e) {
            report.accept(CheckLine.fail(listItem, e.getMessage(),
                    e instanceof ApiException a && a.isAuthorizationFailure() ? fix : "check the API server's health"));
            report.accept(CheckLine.fail(watchItem, "not tried: the list failed", fix));
            return;
        }
        Map<String, String> query = selectors(target);
        query.put("watch", "1");
        query.put("timeoutSeconds", "1");
        if (!resourceVersion.isEmpty()) {
            query.put("resourceVersion", resourceVersion);
        }
        try (ApiClient.WatchStream stream = api.watch(path, query)) {
            stream.cancel();
            report.accept(CheckLine.ok(watchItem, "allowed (a watch opened)"));
        } catch (IOException e) {
            report.accept(CheckLine.fail(watchItem, e.getMessage(),
                    e instanceof ApiException a && a.isAuthorizationFailure() ? fix : "check the API server's health"));
        }
    }

    private JsonNode accessReview(WatchTarget target, String verb) throws IOException {
        ObjectNode review = JSON.createObjectNode();
        review.put("apiVersion", "authorization.k8s.io/v1");
        review.put("kind", "SelfSubjectAccessReview");
        ObjectNode attributes = review.putObject("spec").putObject("resourceAttributes");
        attributes.put("verb", verb);
        attributes.put("group", target.resource().group());
        attributes.put("resource", target.resource().plural());
        if (!target.namespace().isEmpty()) {
            attributes.put("namespace", target.namespace());
        }
        return api.postJson("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review);
    }

    private static Map<String, String> selectors(WatchTarget target) {
        Map<String, String> query = new LinkedHashMap<>();
        if (!target.labelSelector().isEmpty()) {
            query.put("labelSelector", target.labelSelector());
        }
        if (!target.fieldSelector().isEmpty()) {
            query.put("fieldSelector", target.fieldSelector());
        }
        return query;
    }
}
