package io.kube2kafka.watch;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects downstream already holds for one watch: uid to resourceVersion, plus a way to fetch
 * the last state held. Only these small facts are kept in memory, never whole objects.
 */
public interface KnownObjects {

    /** The resourceVersion held for this live object, or null when none is held. */
    String resourceVersionOf(String uid);

    /**
     * A list begins: from now on {@link #unlisted()} tells what it lacked. Objects written downstream
     * after this call (by this list, or handed over by another watch) count as listed.
     */
    void beginList();

    /**
     * The list in progress has this object.
     *
     * @return the resourceVersion held for it, or null when none is held
     */
    String markListed(String uid);

    /**
     * The uids held as live objects that the list begun by {@link #beginList()} has not marked: call
     * once it is complete. Marks are kept with what is held, so a list of a million objects needs no
     * set of a million uids (issue 13).
     */
    List<String> unlisted();

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
