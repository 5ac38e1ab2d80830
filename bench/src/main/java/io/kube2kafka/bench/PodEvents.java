package io.kube2kafka.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Realistic, distinct pod watch events of 5-6 KB: what a Deployment-heavy cluster sends. Every line
 * differs (name, uid, resourceVersion, labels, IPs, statuses, env), so neither compression nor any
 * cache sees a repeated line. Seeded, so two runs send the same bytes.
 */
final class PodEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] NAMESPACES = {"default", "shop", "payments", "search", "monitoring", "ingress", "batch"};
    private static final String[] APPS = {"web", "api", "worker", "cache", "checkout", "indexer", "gateway", "exporter"};
    private static final String[] TEAMS = {"platform", "storefront", "data", "sre", "billing"};
    private static final String[] PHASES = {"Pending", "Running", "Running", "Running", "Succeeded", "Failed"};
    private static final String[] WAITING = {"ContainerCreating", "ImagePullBackOff", "CrashLoopBackOff", "PodInitializing"};

    /** One event: its line (ending in a newline) and what the bridge must read from it. */
    record PodEvent(String type, String namespace, String name, String uid, long resourceVersion, byte[] line) {
    }

    private PodEvents() {
    }

    /** @param firstResourceVersion event i carries firstResourceVersion + i */
    static List<PodEvent> generate(int count, long firstResourceVersion, long seed) {
        Random random = new Random(seed);
        List<PodEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(event(random, i, firstResourceVersion + i));
        }
        return events;
    }

    static long totalBytes(List<PodEvent> events) {
        long total = 0;
        for (PodEvent e : events) {
            total += e.line().length;
        }
        return total;
    }

    private static PodEvent event(Random random, int index, long resourceVersion) {
        int dice = random.nextInt(10);
        String type = dice < 2 ? "ADDED" : dice < 9 ? "MODIFIED" : "DELETED";
        String namespace = NAMESPACES[random.nextInt(NAMESPACES.length)];
        String app = APPS[random.nextInt(APPS.length)];
        String hash = Long.toString(random.nextLong() & 0xffffffffffL, 36);
        String name = app + "-" + hash + "-" + Integer.toString(index, 36) + Integer.toString(random.nextInt(1 << 20), 36);
        String uid = new UUID(random.nextLong(), random.nextLong()).toString();
        Instant created = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(random.nextInt(30_000_000));
        ObjectNode pod = pod(random, namespace, app, hash, name, uid, resourceVersion, created, type);
        // Pad with environment variables to a size drawn from [5000, 6000): real pods differ mostly there.
        int target = 5000 + random.nextInt(950);
        byte[] json = bytes(wrap(type, pod));
        ArrayNode env = (ArrayNode) pod.path("spec").path("containers").path(0).path("env");
        while (json.length < target) {
            int missing = target - json.length;
            int perVariable = 70;
            for (int added = 0; added < Math.max(1, missing / perVariable); added++) {
                env.addObject().put("name", "FEATURE_" + Integer.toString(random.nextInt(1 << 24), 36).toUpperCase() + "_ENABLED")
                        .put("value", Long.toString(random.nextLong() & 0xffffffffL, 36) + "-" + random.nextInt(1000));
            }
            json = bytes(wrap(type, pod));
        }
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return new PodEvent(type, namespace, name, uid, resourceVersion, line);
    }

    private static ObjectNode wrap(String type, ObjectNode pod) {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", type);
        event.set("object", pod);
        return event;
    }

    private static ObjectNode pod(Random random, String namespace, String app, String hash, String name, String uid,
                                  long resourceVersion, Instant created, String type) {
        String time = created.toString();
        String later = created.plusSeconds(5 + random.nextInt(600)).toString();
        ObjectNode pod = JSON.createObjectNode();
        pod.put("kind", "Pod");
        pod.put("apiVersion", "v1");
        ObjectNode metadata = pod.putObject("metadata");
        metadata.put("name", name);
        metadata.put("generateName", app + "-" + hash + "-");
        metadata.put("namespace", namespace);
        metadata.put("uid", uid);
        metadata.put("resourceVersion", Long.toString(resourceVersion));
        metadata.put("creationTimestamp", time);
        if (type.equals("DELETED")) {
            metadata.put("deletionTimestamp", later);
            metadata.put("deletionGracePeriodSeconds", 30);
        }
        ObjectNode labels = metadata.putObject("labels");
        labels.put("app.kubernetes.io/name", app);
        labels.put("app.kubernetes.io/part-of", TEAMS[random.nextInt(TEAMS.length)]);
        labels.put("app.kubernetes.io/version", "1." + random.nextInt(40) + "." + random.nextInt(10));
        labels.put("pod-template-hash", hash);
        if (random.nextBoolean()) {
            labels.put("tier", random.nextBoolean() ? "frontend" : "backend");
        }
        if (random.nextInt(3) == 0) {
            labels.put("canary", "true");
        }
        ObjectNode annotations = metadata.putObject("annotations");
        annotations.put("kubectl.kubernetes.io/restartedAt", later);
        annotations.put("prometheus.io/scrape", Boolean.toString(random.nextBoolean()));
        annotations.put("prometheus.io/port", Integer.toString(9000 + random.nextInt(100)));
        annotations.put("checksum/config", Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
        ObjectNode owner = metadata.putArray("ownerReferences").addObject();
        owner.put("apiVersion", "apps/v1").put("kind", "ReplicaSet").put("name", app + "-" + hash)
                .put("uid", new java.util.UUID(random.nextLong(), random.nextLong()).toString())
                .put("controller", true).put("blockOwnerDeletion", true);
        ArrayNode managed = metadata.putArray("managedFields");
        ObjectNode byController = managed.addObject();
        byController.put("manager", "kube-controller-manager").put("operation", "Update").put("apiVersion", "v1")
                .put("time", time).put("fieldsType", "FieldsV1");
        ObjectNode f = byController.putObject("fieldsV1").putObject("f:metadata");
        f.putObject("f:generateName");
        ObjectNode fl = f.putObject("f:labels");
        labels.fieldNames().forEachRemaining(l -> fl.putObject("f:" + l));
        f.putObject("f:ownerReferences").putObject("k:{\"uid\":\"" + owner.path("uid").asText() + "\"}");
        ObjectNode byKubelet = managed.addObject();
        byKubelet.put("manager", "kubelet").put("operation", "Update").put("apiVersion", "v1").put("time", later)
                .put("fieldsType", "FieldsV1").put("subresource", "status");
        ObjectNode fs = byKubelet.putObject("fieldsV1").putObject("f:status");
        fs.putObject("f:conditions").putObject("k:{\"type\":\"Ready\"}").putObject("f:status");
        fs.putObject("f:containerStatuses");
        fs.putObject("f:podIP");
        fs.putObject("f:startTime");

        ObjectNode spec = pod.putObject("spec");
        ArrayNode containers = spec.putArray("containers");
        int containerCount = 1 + random.nextInt(2);
        String podIp = "10." + (96 + random.nextInt(32)) + "." + random.nextInt(256) + "." + (2 + random.nextInt(250));
        for (int c = 0; c < containerCount; c++) {
            ObjectNode container = containers.addObject();
            String cname = c == 0 ? app : "sidecar-" + random.nextInt(5);
            container.put("name", cname);
            container.put("image", "registry.example.com/" + TEAMS[random.nextInt(TEAMS.length)] + "/" + cname + ":"
                    + random.nextInt(20) + "." + random.nextInt(50) + "." + random.nextInt(10));
            container.putArray("args").add("--port=" + (8000 + random.nextInt(1000))).add("--log-level=" + (random.nextBoolean() ? "info" : "debug"));
            container.putArray("ports").addObject().put("name", "http").put("containerPort", 8000 + random.nextInt(1000)).put("protocol", "TCP");
            ArrayNode env = container.putArray("env");
            env.addObject().put("name", "POD_NAME").putObject("valueFrom").putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", "metadata.name");
            env.addObject().put("name", "POD_NAMESPACE").putObject("valueFrom").putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", "metadata.namespace");
            ObjectNode resources = container.putObject("resources");
            resources.putObject("requests").put("cpu", (50 + random.nextInt(950)) + "m").put("memory", (64 << random.nextInt(5)) + "Mi");
            resources.putObject("limits").put("memory", (128 << random.nextInt(5)) + "Mi");
            ObjectNode probe = container.putObject("readinessProbe");
            probe.putObject("httpGet").put("path", "/healthz").put("port", "http").put("scheme", "HTTP");
            probe.put("initialDelaySeconds", random.nextInt(30)).put("periodSeconds", 10).put("timeoutSeconds", 1)
                    .put("successThreshold", 1).put("failureThreshold", 3);
            container.putArray("volumeMounts").addObject().put("name", "kube-api-access-" + hash.substring(0, Math.min(5, hash.length())))
                    .put("readOnly", true).put("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount");
            container.put("terminationMessagePath", "/dev/termination-log").put("terminationMessagePolicy", "File")
                    .put("imagePullPolicy", "IfNotPresent");
        }
        spec.putArray("volumes").addObject().put("name", "kube-api-access-" + hash.substring(0, Math.min(5, hash.length())))
                .putObject("projected").put("defaultMode", 420).putArray("sources").addObject()
                .putObject("serviceAccountToken").put("expirationSeconds", 3607).put("path", "token");
        spec.put("restartPolicy", "Always").put("terminationGracePeriodSeconds", 30).put("dnsPolicy", "ClusterFirst")
                .put("serviceAccountName", app).put("nodeName", "node-" + random.nextInt(200))
                .put("schedulerName", "default-scheduler").put("priority", 0).put("enableServiceLinks", true)
                .put("preemptionPolicy", "PreemptLowerPriority");
        ArrayNode tolerations = spec.putArray("tolerations");
        for (String taint : new String[] {"not-ready", "unreachable"}) {
            tolerations.addObject().put("key", "node.kubernetes.io/" + taint).put("operator", "Exists")
                    .put("effect", "NoExecute").put("tolerationSeconds", 300);
        }

        ObjectNode status = pod.putObject("status");
        String phase = PHASES[random.nextInt(PHASES.length)];
        status.put("phase", phase);
        ArrayNode conditions = status.putArray("conditions");
        boolean ready = phase.equals("Running") && random.nextInt(4) != 0;
        for (String condition : new String[] {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
            boolean done = !condition.contains("Ready") || ready;
            ObjectNode c = conditions.addObject().put("type", condition).put("status", done ? "True" : "False");
            c.putNull("lastProbeTime");
            c.put("lastTransitionTime", done ? time : later);
            if (!done) {
                c.put("reason", "ContainersNotReady").put("message", "containers with unready status: [" + app + "]");
            }
        }
        status.put("hostIP", "172.18." + random.nextInt(256) + "." + random.nextInt(256));
        status.put("podIP", podIp);
        status.putArray("podIPs").addObject().put("ip", podIp);
        status.put("startTime", time);
        ArrayNode statuses = status.putArray("containerStatuses");
        for (int c = 0; c < containerCount; c++) {
            ObjectNode cs = statuses.addObject();
            cs.put("name", containers.path(c).path("name").asText());
            ObjectNode state = cs.putObject("state");
            if (phase.equals("Running")) {
                state.putObject("running").put("startedAt", later);
            } else if (phase.equals("Pending")) {
                state.putObject("waiting").put("reason", WAITING[random.nextInt(WAITING.length)]);
            } else {
                state.putObject("terminated").put("exitCode", phase.equals("Failed") ? 1 + random.nextInt(137) : 0)
                        .put("reason", phase.equals("Failed") ? "Error" : "Completed").put("startedAt", time).put("finishedAt", later)
                        .put("containerID", "containerd://" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
            }
            cs.putObject("lastState");
            cs.put("ready", ready).put("restartCount", random.nextInt(4) == 0 ? random.nextInt(30) : 0);
            cs.put("image", containers.path(c).path("image").asText());
            cs.put("imageID", "registry.example.com/images@sha256:" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong())
                    + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
            cs.put("containerID", "containerd://" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
            cs.put("started", phase.equals("Running"));
        }
        status.put("qosClass", random.nextBoolean() ? "Burstable" : "BestEffort");
        return pod;
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("tree nodes always serialise", e);
        }
    }
}
