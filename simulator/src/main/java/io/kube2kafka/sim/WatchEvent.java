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

  /**
   * INITIAL_EVENTS_END is no change but a place in the queue: where a watch with sendInitialEvents=true
   * writes the bookmark that ends its initial events, after them and before every later change.
   */
  enum Type { ADDED, MODIFIED, DELETED, INITIAL_EVENTS_END }

  WatchEvent(Type type, SimResource resource, String key, ObjectNode object, ObjectNode previous, long resourceVersion) {
    this(type, resource, key, object, previous, resourceVersion, null);
  }

  static WatchEvent raw(SimResource resource, long resourceVersion, byte[] line) {
    return new WatchEvent(null, resource, null, null, null, resourceVersion, line);
  }

  /** The end of a watch's initial events, at the version of the state they showed. */
  static WatchEvent initialEventsEnd(SimResource resource, long resourceVersion) {
    return new WatchEvent(Type.INITIAL_EVENTS_END, resource, null, null, null, resourceVersion);
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
