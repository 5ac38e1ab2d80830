package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Creates, updates and deletes objects of a simulated cluster at random (seeded, so a failing test
 * can be replayed). Used by the demo and by the tests that check Kafka against the cluster.
 */
public final class ClusterChurn {
    private static final String[] NAMESPACES = {"default", "shop", "payments"};
    private static final String[] APPS = {"web", "api", "worker", "cache"};

    private final SimulatedApiServer server;
    private final List<String> resources;
    private final Random random;
    private final List<String[]> existing = new ArrayList<>();
    private int created;

    /**
     * @param resources resource names as the server's create takes them ("pods", "deployments.apps")
     */
    public ClusterChurn(SimulatedApiServer server, List<String> resources, long seed) {
        this.server = server;
        this.resources = List.copyOf(resources);
        this.random = new Random(seed);
    }

    /** Creates {@code perResource} objects of every resource. */
    public void populate(int perResource) {
        for (String resource : resources) {
            for (int i = 0; i < perResource; i++) {
                create(resource);
            }
        }
    }

    /** Performs {@code count} random changes: about half updates, a quarter creates, a quarter deletes. */
    public void churn(int count) {
        for (int i = 0; i < count; i++) {
            step();
        }
    }

    /** One random change. */
    public synchronized void step() {
        int dice = random.nextInt(4);
        if (existing.isEmpty() || dice == 0) {
            create(resources.get(random.nextInt(resources.size())));
        } else if (dice == 1) {
            deleteOne();
        } else {
            String[] target = existing.get(random.nextInt(existing.size()));
            int generation = random.nextInt(1_000_000);
            server.update(target[0], target[1], target[2], object -> {
                ObjectNode labels = object.with("metadata").with("labels");
                labels.put("revision", Integer.toString(generation));
                object.with("status").put("observedGeneration", generation);
            });
        }
    }

    /** Deletes a random object this churn created; returns its final state. */
    public synchronized ObjectNode deleteOne() {
        String[] victim = existing.remove(random.nextInt(existing.size()));
        return server.delete(victim[0], victim[1], victim[2]);
    }

    private void create(String resource) {
        String namespace = NAMESPACES[random.nextInt(NAMESPACES.length)];
        String app = APPS[random.nextInt(APPS.length)];
        String name = app + "-" + Integer.toString(created++, 36) + "-" + Integer.toString(random.nextInt(46656), 36);
        server.create(resource, namespace, name, Map.of("app", app));
        existing.add(new String[] {resource, namespace, name});
    }
}
