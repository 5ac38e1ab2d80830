package io.kube2kafka.watch;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * One list compared with what downstream holds, object by object, whichever way the list arrives
 * (pages or a WatchList stream): each listed object becomes the event to hand on, or nothing when
 * downstream already holds it at that resourceVersion; what downstream holds that the list lacked
 * was deleted while unwatched. It also counts what it found, for the list's {@link ListSummary}.
 *
 * <p>Which uids the list had is marked in {@link KnownObjects} itself, not kept here: a set of a
 * million uid strings took 100 MB, the OutOfMemoryError of issue 13 under -Xmx256m. An object
 * written downstream while the list runs counts as listed (see {@link KnownObjects#beginList()}).
 */
final class ListComparison {
    private final KnownObjects known;
    private final ListCause cause;
    private final ListMethod method;
    private final String fromResourceVersion;
    private final boolean resnapshot;
    private final Instant startedAt;
    /** Objects compared; which uids they were is marked in {@link #known}, not kept here. */
    private int listed;
    private long unchanged;
    private long changed;
    private long added;

    /**
     * @param fromResourceVersion the resume point given up, null on a first start
     * @param resnapshot every listed object is handed on again (origin snapshot), even one downstream holds unchanged
     */
    ListComparison(KnownObjects known, ListCause cause, ListMethod method, String fromResourceVersion, boolean resnapshot, Instant startedAt) {
        this.known = known;
        this.cause = cause;
        this.method = method;
        this.fromResourceVersion = fromResourceVersion;
        this.resnapshot = resnapshot;
        this.startedAt = startedAt;
        known.beginList();
    }

    /**
     * @param eventJson the object as the bytes of a watch event of the given type
     * @return the event to hand on, or null when downstream holds this object at this resourceVersion
     */
    WatchEvent compare(String uid, String namespace, String name, String resourceVersion, Attribution attribution,
                       Function<EventType, byte[]> eventJson) {
        listed++;
        String held = known.markListed(uid);
        if (resourceVersion.equals(held)) {
            unchanged++;
            if (!resnapshot) {
                return null;
            }
        } else if (held == null) {
            added++;
        } else {
            changed++;
        }
        EventType type = held == null ? EventType.ADDED : EventType.MODIFIED;
        Origin origin = resnapshot ? Origin.SNAPSHOT : Origin.LIST;
        return new WatchEvent(type, origin, uid, namespace, name, resourceVersion, eventJson.apply(type), attribution);
    }

    /**
     * A WatchList stream said DELETED before its list was complete; the DELETED itself is handed on, so
     * the object is no derived deletion at the end. client-go's reflector likewise deletes it from the
     * list's temporary store (handleAnyWatch, tools/cache/reflector.go).
     */
    void deletedWhileListing(String uid) {
        known.markListed(uid);
    }

    /** Objects listed so far. */
    int listedCount() {
        return listed;
    }

    /** Objects handed on so far: new or changed (every one for a resnapshot). */
    long handedOn() {
        return resnapshot ? listed : added + changed;
    }

    /** The uids downstream holds as live that the list lacked; call once the list is complete. */
    List<String> vanished() {
        return known.unlisted();
    }

    KnownObjects known() {
        return known;
    }

    ListSummary summary(String toResourceVersion, long deleted, Instant completedAt) {
        return new ListSummary(cause, method, fromResourceVersion, toResourceVersion, unchanged, changed, added, deleted, startedAt, completedAt);
    }
}
