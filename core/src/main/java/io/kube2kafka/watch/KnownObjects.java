package io.kube2kafka.watch;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The objects downstream already holds for one watch: uid to resourceVersion, plus a way to fetch
 * the last state held. Only these small facts are kept in memory, never whole objects.
 */
public interface KnownObjects {

    /** The resourceVersion held for this live object, or null when none is held. */
    String resourceVersionOf(String uid);

    /** The uids held as live objects, a snapshot. */
    Set<String> uids();

    /** The last object held for uid, as JSON ({"kind":..., "metadata":...}), for a derived DELETED. */
    byte[] lastObject(String uid) throws IOException;

    /**
     * The last objects held for several uids, by uid. Implementations that fetch from elsewhere
     * override it to fetch them together: an outage can leave thousands of deletions to derive.
     */
    default Map<String, byte[]> lastObjects(List<String> uids) throws IOException {
        Map<String, byte[]> objects = new LinkedHashMap<>();
        for (String uid : uids) {
            objects.put(uid, lastObject(uid));
        }
        return objects;
    }
}
