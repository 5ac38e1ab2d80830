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
 */
record WatchEvent(Type type, SimResource resource, String key, ObjectNode object, ObjectNode previous, long resourceVersion) {

  enum Type { ADDED, MODIFIED, DELETED }

  /** Put in a watch's queue only to wake its thread so that it re-reads its fault flags. */
  static final WatchEvent WAKE_UP = new WatchEvent(null, null, null, null, null, -1);

  String namespace() {
    return object.path("metadata").path("namespace").asText(null);
  }
}
