package io.kube2kafka.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube2kafka.sim.RawListSource;
import io.kube2kafka.sim.SimulatedApiServer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntPredicate;

/**
 * A million pods of about 2.5 KB that cost the simulated server no memory: pod i is written from one
 * template (the simulator's own pod, with its managedFields) whenever a list page needs it, with its
 * own name, namespace, labels, IP, uid and resourceVersion. Held as Jackson trees in the simulator
 * they would take 13 KB each (13 GB), and its pages are built from a copy of the whole store.
 */
final class BigCluster implements RawListSource {
    private static final String[] NAMESPACES = {"default", "shop", "payments", "search", "monitoring", "ingress", "batch"};
    private static final String[] APPS = {"web", "api", "worker", "cache", "checkout", "indexer", "gateway", "exporter"};
    private static final String[] FIELDS = {"zzname", "zzns", "zzapp", "zztier", "zzhash", "zzuid", "zzrv", "zzip"};

    /** The template's text between the varying fields; fieldAfter[k] is the field that follows parts[k]. */
    private final String[] parts;
    private final int[] fieldAfter;
    private final long firstResourceVersion;
    private final int[] served;
    private final int count;

    private BigCluster(String template, long firstResourceVersion, int[] served, int count) {
        List<String> text = new ArrayList<>();
        List<Integer> fields = new ArrayList<>();
        int at = 0;
        while (true) {
            int next = -1;
            int field = -1;
            for (int f = 0; f < FIELDS.length; f++) {
                int found = template.indexOf(FIELDS[f], at);
                if (found >= 0 && (next < 0 || found < next)) {
                    next = found;
                    field = f;
                }
            }
            if (next < 0) {
                text.add(template.substring(at));
                break;
            }
            text.add(template.substring(at, next));
            fields.add(field);
            at = next + FIELDS[field].length();
        }
        this.parts = text.toArray(String[]::new);
        this.fieldAfter = fields.stream().mapToInt(Integer::intValue).toArray();
        this.firstResourceVersion = firstResourceVersion;
        this.served = served;
        this.count = count;
    }

    /**
     * Pods 0..count-1 with resourceVersions reserved on the server, of which the server lists those
     * {@code listed} accepts; call {@link #serveOn} to make them its pods.
     */
    static BigCluster reserve(SimulatedApiServer server, int count, IntPredicate listed) {
        long first = server.reserveResourceVersions(count);
        int[] served = java.util.stream.IntStream.range(0, count).filter(listed).toArray();
        return new BigCluster(template(), first, served, count);
    }

    void serveOn(SimulatedApiServer server) {
        server.serveRawList("pods", this);
    }

    /** The simulator's own pod, with placeholders where pods differ; a list item: no kind or apiVersion. */
    private static String template() {
        try (SimulatedApiServer scratch = SimulatedApiServer.builder().build().addStandardResources().start()) {
            ObjectNode pod = scratch.create("pods", "zzns", "zzname", Map.of("app", "zzapp", "tier", "zztier", "pod-template-hash", "zzhash"));
            pod.remove("kind");
            pod.remove("apiVersion");
            ObjectNode metadata = (ObjectNode) pod.get("metadata");
            metadata.put("uid", "zzuid");
            metadata.put("resourceVersion", "zzrv");
            ObjectNode status = (ObjectNode) pod.get("status");
            status.put("podIP", "zzip");
            ((ObjectNode) status.get("podIPs").get(0)).put("ip", "zzip");
            return pod.toString();
        }
    }

    @Override
    public int size() {
        return served.length;
    }

    @Override
    public void appendItem(int index, StringBuilder json) {
        appendPod(served[index], json);
    }

    /** Pod i as a list item (its JSON). */
    void appendPod(int pod, StringBuilder json) {
        long h = mix(pod);
        String app = APPS[(int) Long.remainderUnsigned(h, APPS.length)];
        for (int k = 0; k < parts.length; k++) {
            json.append(parts[k]);
            if (k == fieldAfter.length) {
                break;
            }
            switch (fieldAfter[k]) {
                case 0 -> json.append(app).append('-').append(Integer.toString(pod, 36)).append('-').append(Long.toString((h >>> 8) & 0xFFFFF, 36));
                case 1 -> json.append(NAMESPACES[(int) Long.remainderUnsigned(h >>> 16, NAMESPACES.length)]);
                case 2 -> json.append(app);
                case 3 -> json.append((h & 0x100) == 0 ? "frontend" : "backend");
                case 4 -> json.append(Long.toString((h >>> 24) & 0xFFFFFF, 36));
                case 5 -> json.append(uid(pod));
                case 6 -> json.append(resourceVersion(pod));
                default -> json.append("10.").append(244 + ((pod >>> 16) & 3)).append('.').append((pod >>> 8) & 255).append('.').append(pod & 255);
            }
        }
    }

    /** Every pod, listed or not. */
    int pods() {
        return count;
    }

    long resourceVersion(int pod) {
        return firstResourceVersion + pod;
    }

    /** A random-looking version 4 UUID, the same for the same pod: Kubernetes uids are UUIDs (apimachinery util/uuid). */
    static String uid(int pod) {
        long hi = mix(pod ^ 0x5DEECE66DL);
        long lo = mix(~(long) pod);
        return new UUID(hi & ~0xF000L | 0x4000L, lo & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L).toString();
    }

    /** splitmix64's finalizer. */
    private static long mix(long x) {
        x += 0x9E3779B97F4A7C15L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }
}
