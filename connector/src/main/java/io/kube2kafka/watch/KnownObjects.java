package io.kube2kafka.watch;

import java.io.IOException;
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
}
