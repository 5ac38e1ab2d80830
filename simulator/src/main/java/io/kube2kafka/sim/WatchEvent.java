package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change to one object, as kept in the history and fanned out to watches.
 *
 * <p>Both states are kept because a watch with a selector needs the previous one to tell "stopped
 * matching" (sent as DELETED) from "never matched" (not sent), and a paginated list rolls the
 * live state back to its snapshot by restoring {@code previous}. The objects are never mutated
 * after construction, so threads share them freely.
 *
 * @param object the new state; for DELETED the final state stamped with the deletion's version
 * @param previous the state before, or null for ADDED
 * @param rawLine a pre-serialised watch line sent as it is (see
 *     {@link SimulatedApiServer#streamRawLines}); null for a change of the store, whose line the
 *     session builds from {@code object}
 */
record WatchEvent(Type type, SimResource resource, String key, ObjectNode object, ObjectNode previous, long resourceVersion,
    byte[] rawLine) {

  enum Type { ADDED, MODIFIED, DELETED }

  WatchEvent(Type type, SimResource resource, String key, ObjectNode object, ObjectNode previous, long resourceVersion) {
    this(type, resource, key, object, previous, resourceVersion, null);
  }

  static WatchEvent raw(SimResource resource, long resourceVersion, byte[] line) {
    return new WatchEvent(null, resource, null, null, null, resourceVersion, line);
  }

  /** Put in a watch's queue only to wake its thread so that it re-reads its fault flags. */
  static final WatchEvent WAKE_UP = new WatchEvent(null, null, null, null, null, -1);

  /**
   * Put in a watch's queue after the last event of a resource whose storage is torn down (its CRD
   * removed): the watch ends cleanly once everything before it is written.
   */
  static final WatchEvent STORAGE_GONE = new WatchEvent(null, null, null, null, null, -2);

  String namespace() {
    return object.path("metadata").path("namespace").asText(null);
  }
}
