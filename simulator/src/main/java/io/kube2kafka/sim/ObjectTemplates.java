package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/**
 * Builds objects that look like what a real cluster stores, so that clients are tested on
 * realistic sizes and shapes (a pod is about 2 KB, with the managedFields entry kubectl leaves). Some
 * carry non-ASCII text so that random chunking splits UTF-8 characters.
 */
final class ObjectTemplates {
  static final String NON_ASCII_DESCRIPTION = "Grüße 🚀";

  private ObjectTemplates() {}

  /** The manager a create is recorded under: what `kubectl apply` (client-side) leaves on a new object. */
  static final String CREATOR = "kubectl-client-side-apply";

  /** @param now the server's time, whole seconds: creationTimestamp and the creator's managedFields entry */
  static ObjectNode newObject(SimResource resource, String namespace, String name, Map<String, String> labels, String now) {
    ObjectNode object = Json.object();
    object.put("kind", resource.kind());
    object.put("apiVersion", resource.apiVersion());
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("name", name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("resourceVersion", "0"); // replaced by the store
    metadata.put("generation", 1);
    metadata.put("creationTimestamp", now);
    ObjectNode labelNode = metadata.putObject("labels");
    labels.forEach(labelNode::put);
    metadata.putObject("annotations").put("description", NON_ASCII_DESCRIPTION);
    switch (resource.builtIn() ? resource.kind() : "") {
      case "Pod" -> pod(object, namespace, name, labels, now);
      case "Deployment" -> deployment(object, name, labels);
      case "Service" -> service(object, labels);
      case "ConfigMap" -> object.putObject("data").put("greeting", NON_ASCII_DESCRIPTION).put("mode", "demo");
      case "Secret" -> {
        object.put("type", "Opaque");
        object.putObject("data").put("password", "czNjcmV0");
      }
      case "Namespace" -> {
        object.putObject("spec").putArray("finalizers").add("kubernetes");
        object.putObject("status").put("phase", "Active");
      }
      case "Event" -> event(object, resource, namespace, name, now);
      default -> {
        object.putObject("spec").put("size", 1).put("description", NON_ASCII_DESCRIPTION);
        object.putObject("status").put("ready", false);
      }
    }
    // A new object has one entry, its creator's, owning what it was created with; later writers add theirs
    // (FieldManager). Last in metadata, where the API server writes it.
    metadata.set("managedFields", FieldManager.created(object, CREATOR, FieldManager.UPDATE, resource.apiVersion(), now));
    return object;
  }

  /** The API server's time format: RFC 3339 in UTC, whole seconds (metav1.Time). */
  static String serverTime(Instant now) {
    return now.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static void pod(ObjectNode pod, String namespace, String name, Map<String, String> labels, String now) {
    ObjectNode spec = pod.putObject("spec");
    ObjectNode container = spec.putArray("containers").addObject();
    container.put("name", "app");
    container.put("image", "registry.k8s.io/nginx-slim:0.27");
    container.putArray("ports").addObject().put("name", "http").put("containerPort", 8080).put("protocol", "TCP");
    ObjectNode resources = container.putObject("resources");
    resources.putObject("requests").put("cpu", "100m").put("memory", "64Mi");
    resources.putObject("limits").put("memory", "128Mi");
    container.putArray("volumeMounts").addObject()
        .put("name", "kube-api-access").put("readOnly", true)
        .put("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount");
    container.put("terminationMessagePath", "/dev/termination-log");
    container.put("terminationMessagePolicy", "File");
    container.put("imagePullPolicy", "IfNotPresent");
    spec.putArray("volumes").addObject().put("name", "kube-api-access")
        .putObject("projected").put("defaultMode", 420).putArray("sources").addObject()
        .putObject("serviceAccountToken").put("expirationSeconds", 3607).put("path", "token");
    spec.put("restartPolicy", "Always");
    spec.put("terminationGracePeriodSeconds", 30);
    spec.put("dnsPolicy", "ClusterFirst");
    spec.put("serviceAccountName", "default");
    spec.put("nodeName", "sim-node-1");
    spec.putObject("securityContext");
    spec.put("schedulerName", "default-scheduler");
    ArrayNode tolerations = spec.putArray("tolerations");
    for (String taint : new String[] {"not-ready", "unreachable"}) {
      tolerations.addObject().put("key", "node.kubernetes.io/" + taint).put("operator", "Exists")
          .put("effect", "NoExecute").put("tolerationSeconds", 300);
    }
    spec.put("priority", 0);
    spec.put("enableServiceLinks", true);
    spec.put("preemptionPolicy", "PreemptLowerPriority");
    ObjectNode status = pod.putObject("status");
    status.put("phase", "Pending");
    ArrayNode conditions = status.putArray("conditions");
    for (String type : new String[] {"PodScheduled", "Initialized", "ContainersReady", "Ready"}) {
      boolean done = type.equals("PodScheduled") || type.equals("Initialized");
      conditions.addObject().put("type", type).put("status", done ? "True" : "False")
          .putNull("lastProbeTime").put("lastTransitionTime", now);
    }
    status.put("hostIP", "10.0.0.11");
    status.put("podIP", "10.244.0." + (2 + Math.floorMod((namespace + name).hashCode(), 250)));
    status.putArray("podIPs").addObject().put("ip", status.get("podIP").asText());
    status.put("startTime", now);
    ObjectNode containerStatus = status.putArray("containerStatuses").addObject();
    containerStatus.put("name", "app");
    containerStatus.putObject("state").putObject("waiting").put("reason", "ContainerCreating");
    containerStatus.putObject("lastState");
    containerStatus.put("ready", false);
    containerStatus.put("restartCount", 0);
    containerStatus.put("image", "registry.k8s.io/nginx-slim:0.27");
    containerStatus.put("imageID", "");
    containerStatus.put("started", false);
    status.put("qosClass", "Burstable");
  }

  private static void deployment(ObjectNode deployment, String name, Map<String, String> labels) {
    ObjectNode spec = deployment.putObject("spec");
    spec.put("replicas", 2);
    ObjectNode matchLabels = spec.putObject("selector").putObject("matchLabels");
    labels.forEach(matchLabels::put);
    ObjectNode template = spec.putObject("template");
    ObjectNode templateLabels = template.putObject("metadata").putObject("labels");
    labels.forEach(templateLabels::put);
    template.putObject("spec").putArray("containers").addObject()
        .put("name", name).put("image", "registry.k8s.io/nginx-slim:0.27");
    spec.putObject("strategy").put("type", "RollingUpdate").putObject("rollingUpdate")
        .put("maxUnavailable", "25%").put("maxSurge", "25%");
    spec.put("revisionHistoryLimit", 10);
    spec.put("progressDeadlineSeconds", 600);
    ObjectNode status = deployment.putObject("status");
    status.put("observedGeneration", 1).put("replicas", 2).put("updatedReplicas", 2)
        .put("readyReplicas", 0).put("availableReplicas", 0);
  }

  private static void service(ObjectNode service, Map<String, String> labels) {
    ObjectNode spec = service.putObject("spec");
    spec.putArray("ports").addObject().put("name", "http").put("protocol", "TCP").put("port", 80).put("targetPort", 8080);
    ObjectNode selector = spec.putObject("selector");
    labels.forEach(selector::put);
    spec.put("clusterIP", "10.96.0.42");
    spec.put("type", "ClusterIP");
    spec.put("sessionAffinity", "None");
    service.putObject("status").putObject("loadBalancer");
  }

  private static void event(ObjectNode event, SimResource resource, String namespace, String name, String now) {
    ObjectNode regarding = Json.object().put("kind", "Pod").put("namespace", namespace)
        .put("name", name.replaceFirst("\\.[^.]*$", "")).put("apiVersion", "v1");
    if (resource.group().isEmpty()) {
      event.set("involvedObject", regarding);
      event.put("reason", "Scheduled");
      event.put("message", "Successfully assigned " + namespace + "/" + regarding.get("name").asText() + " to sim-node-1");
      event.putObject("source").put("component", "default-scheduler");
      event.put("firstTimestamp", now).put("lastTimestamp", now).put("count", 1);
    } else {
      event.set("regarding", regarding);
      event.put("reason", "Scheduled");
      event.put("note", "Successfully assigned " + namespace + "/" + regarding.get("name").asText() + " to sim-node-1");
      event.put("reportingController", "default-scheduler");
      event.put("reportingInstance", "default-scheduler-sim");
      event.put("action", "Binding");
      event.put("eventTime", now.replace("Z", ".000000Z"));
    }
    event.put("type", "Normal");
  }
}
