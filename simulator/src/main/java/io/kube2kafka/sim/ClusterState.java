package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The store behind the simulated server: the live objects, the change history and the open
 * watches, guarded by this object's monitor.
 *
 * <p>Like etcd there is one resourceVersion counter for all resources, and objects of a resource
 * are ordered by their key ("namespace/name", or "name" when cluster-scoped) exactly as etcd
 * orders /registry keys, which is the order real lists come back in. Appending to the history and
 * fanning out to watches happen under the same lock as the change itself, so every watch sees
 * changes in resourceVersion order, with no gaps.
 */
final class ClusterState {

  /** A watch's registration: which events it wants and where to put them. */
  record Subscription(SimResource resource, String namespace, Queue<WatchEvent> queue) {
    boolean wants(WatchEvent event) {
      return event.resource().equals(resource)
          && (namespace == null || namespace.equals(event.namespace()));
    }
  }

  /** The objects of one resource as they were at {@code resourceVersion}, in key order. */
  record Snapshot(long resourceVersion, NavigableMap<String, ObjectNode> objects) {}

  private final Map<SimResource, TreeMap<String, ObjectNode>> objects = new HashMap<>();
  private final List<WatchEvent> history = new ArrayList<>();
  /** Every change ever made, kept apart from the compactable history so tests can check completeness. */
  private final List<WatchEvent> allChanges = new ArrayList<>();
  private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
  private long resourceVersion;
  /** The history holds every event with a resourceVersion above this one. */
  private long compactedThrough;
  /** While at least 0, the watch cache of a lagging API server: reads at a newer version wait for it. */
  private long laggingAt = -1;

  ClusterState(long initialResourceVersion) {
    this.resourceVersion = initialResourceVersion;
    this.compactedThrough = initialResourceVersion;
  }

  static String key(String namespace, String name) {
    return namespace == null ? name : namespace + "/" + name;
  }

  synchronized long resourceVersion() {
    return resourceVersion;
  }

  /**
   * Stores an object that has existed since before the retained history began, as kube-system has
   * in any real cluster: it is live and listed, but no watch sees it being created.
   */
  synchronized void seed(SimResource resource, String key, ObjectNode object) {
    objects.computeIfAbsent(resource, r -> new TreeMap<>()).put(key, stamp(object.deepCopy(), resourceVersion));
  }

  /** The store at one moment, as an etcd snapshot holds it: the objects, the history, the revision counter. */
  record Backup(Map<SimResource, TreeMap<String, ObjectNode>> objects, List<WatchEvent> history,
      List<WatchEvent> allChanges, long resourceVersion, long compactedThrough) {}

  /** Stored objects are never changed in place (every change stores a new one), so shallow copies suffice. */
  synchronized Backup backup() {
    Map<SimResource, TreeMap<String, ObjectNode>> copy = new HashMap<>();
    objects.forEach((resource, live) -> copy.put(resource, new TreeMap<>(live)));
    return new Backup(copy, List.copyOf(history), List.copyOf(allChanges), resourceVersion, compactedThrough);
  }

  /**
   * Puts the store back to {@code backup}: objects, history and resourceVersion as they were then;
   * every later change is gone. Watches registered before are dropped: the caller closes their
   * connections, as the API servers restart after an etcd restore.
   */
  synchronized void restore(Backup backup) {
    objects.clear();
    backup.objects().forEach((resource, live) -> objects.put(resource, new TreeMap<>(live)));
    history.clear();
    history.addAll(backup.history());
    allChanges.clear();
    allChanges.addAll(backup.allChanges());
    resourceVersion = backup.resourceVersion();
    compactedThrough = backup.compactedThrough();
    subscriptions.clear();
    notifyAll();
  }

  /** An empty store whose counter starts at {@code initialResourceVersion}, for a cluster rebuilt from nothing. */
  static Backup empty(long initialResourceVersion) {
    return new Backup(Map.of(), List.of(), List.of(), initialResourceVersion, initialResourceVersion);
  }

  /**
   * From now on the server behaves like an API server whose watch cache is stuck at {@code version}:
   * reads that ask for a newer version wait for it, and are refused as too large if it does not come.
   */
  synchronized void lagAt(long version) {
    laggingAt = version;
  }

  synchronized void catchUp() {
    laggingAt = -1;
    notifyAll();
  }

  /**
   * Waits up to {@code max} until the served version reaches {@code wanted}, as the watch cache's
   * waitUntilFreshAndBlock does.
   *
   * @return the version served now: at least {@code wanted} unless the wait timed out
   */
  synchronized long awaitServedVersion(long wanted, java.time.Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (servedVersion() < wanted) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return servedVersion();
  }

  private long servedVersion() {
    return laggingAt >= 0 ? Math.min(laggingAt, resourceVersion) : resourceVersion;
  }

  synchronized ObjectNode create(SimResource resource, String key, ObjectNode object) {
    TreeMap<String, ObjectNode> live = objects.computeIfAbsent(resource, r -> new TreeMap<>());
    if (live.containsKey(key)) {
      throw new IllegalStateException(resource.qualifiedName() + " \"" + key + "\" already exists");
    }
    ObjectNode stored = stamp(object.deepCopy(), ++resourceVersion);
    live.put(key, stored);
    record(new WatchEvent(WatchEvent.Type.ADDED, resource, key, stored, null, resourceVersion));
    return stored.deepCopy();
  }

  synchronized ObjectNode update(SimResource resource, String key, UnaryOperator<ObjectNode> change) {
    ObjectNode previous = require(resource, key);
    ObjectNode next = stamp(change.apply(previous.deepCopy()), ++resourceVersion);
    objects.get(resource).put(key, next);
    record(new WatchEvent(WatchEvent.Type.MODIFIED, resource, key, next, previous, resourceVersion));
    return next.deepCopy();
  }

  synchronized ObjectNode delete(SimResource resource, String key) {
    ObjectNode previous = require(resource, key);
    objects.get(resource).remove(key);
    ObjectNode last = stamp(previous.deepCopy(), ++resourceVersion);
    record(new WatchEvent(WatchEvent.Type.DELETED, resource, key, last, previous, resourceVersion));
    return last.deepCopy();
  }

  synchronized ObjectNode get(SimResource resource, String key) {
    ObjectNode object = objects.getOrDefault(resource, new TreeMap<>()).get(key);
    return object == null ? null : object.deepCopy();
  }

  synchronized List<ObjectNode> live(SimResource resource) {
    List<ObjectNode> copies = new ArrayList<>();
    objects.getOrDefault(resource, new TreeMap<>()).values().forEach(o -> copies.add(o.deepCopy()));
    return copies;
  }

  /** Forgets all history up to now: older starting points then answer 410 Expired. */
  synchronized void compact() {
    history.clear();
    compactedThrough = resourceVersion;
  }

  /**
   * The objects of a resource at {@code atVersion}, or now when it is null. Older states are
   * rebuilt by undoing the retained history newest first, which is why it needs {@code previous}.
   */
  synchronized Snapshot snapshot(SimResource resource, Long atVersion) throws ResourceExpiredException {
    TreeMap<String, ObjectNode> copy = new TreeMap<>(objects.getOrDefault(resource, new TreeMap<>()));
    if (atVersion == null) {
      return new Snapshot(resourceVersion, copy);
    }
    if (atVersion < compactedThrough) {
      throw new ResourceExpiredException(atVersion, compactedThrough);
    }
    ListIterator<WatchEvent> newestFirst = history.listIterator(history.size());
    while (newestFirst.hasPrevious()) {
      WatchEvent event = newestFirst.previous();
      if (event.resourceVersion() <= atVersion) {
        break;
      }
      if (event.resource().equals(resource)) {
        if (event.previous() == null) {
          copy.remove(event.key());
        } else {
          copy.put(event.key(), event.previous());
        }
      }
    }
    return new Snapshot(atVersion, copy);
  }

  /**
   * Registers a watch and queues what it must see first, atomically, so that no change falls
   * between its start and its live events. From null: a synthetic ADDED per current object
   * (resourceVersion unset or "0"). From a version: every retained event after it.
   */
  synchronized Subscription subscribe(SimResource resource, String namespace, Long fromVersion,
      Queue<WatchEvent> queue) throws ResourceExpiredException {
    return subscribe(resource, namespace, fromVersion, false, queue);
  }

  /**
   * @param initialEventsEnd with {@code fromVersion} null: the synthetic ADDEDs are followed by the end of
   *     the initial events at the current version (sendInitialEvents=true), in the same atomic step
   */
  synchronized Subscription subscribe(SimResource resource, String namespace, Long fromVersion, boolean initialEventsEnd,
      Queue<WatchEvent> queue) throws ResourceExpiredException {
    Subscription subscription = new Subscription(resource, namespace, queue);
    if (fromVersion == null) {
      for (Map.Entry<String, ObjectNode> e : objects.getOrDefault(resource, new TreeMap<>()).entrySet()) {
        long version = Long.parseLong(e.getValue().path("metadata").path("resourceVersion").asText());
        WatchEvent added = new WatchEvent(WatchEvent.Type.ADDED, resource, e.getKey(), e.getValue(), null, version);
        if (subscription.wants(added)) {
          queue.add(added);
        }
      }
      if (initialEventsEnd) {
        queue.add(WatchEvent.initialEventsEnd(resource, resourceVersion));
      }
    } else {
      if (fromVersion < compactedThrough) {
        throw new ResourceExpiredException(fromVersion, compactedThrough);
      }
      for (WatchEvent event : history) {
        if (event.resourceVersion() > fromVersion && subscription.wants(event)) {
          queue.add(event);
        }
      }
    }
    subscriptions.add(subscription);
    return subscription;
  }

  /**
   * Moves the counter on by {@code count} without changing any object, and returns the first of
   * the versions skipped: the versions pre-serialised lines may carry (see {@link #pushRaw}).
   */
  synchronized long reserveVersions(int count) {
    long first = resourceVersion + 1;
    resourceVersion += count;
    return first;
  }

  /**
   * Queues pre-serialised lines on every open watch of the resource that is not limited to a
   * namespace; line i carries version {@code firstVersion + i}. They bypass the objects and the
   * history: a benchmark's firehose, not a change a later list or resumed watch could see.
   */
  synchronized int pushRaw(SimResource resource, long firstVersion, List<byte[]> lines) {
    int watches = 0;
    for (Subscription subscription : subscriptions) {
      if (subscription.resource().equals(resource) && subscription.namespace() == null) {
        watches++;
        for (int i = 0; i < lines.size(); i++) {
          subscription.queue().add(WatchEvent.raw(resource, firstVersion + i, lines.get(i)));
        }
      }
    }
    return watches;
  }

  void unsubscribe(Subscription subscription) {
    subscriptions.remove(subscription);
  }

  /**
   * The version a bookmark may announce to the watch owning {@code queue}: the current one, but
   * only while the queue is empty. Otherwise a client that resumed from the bookmark after a cut
   * would skip the events still queued, so no bookmark is due (-1).
   */
  synchronized long bookmarkVersionIfDrained(Queue<WatchEvent> queue) {
    return queue.isEmpty() ? resourceVersion : -1;
  }

  synchronized List<Change> changes(SimResource resource) {
    List<Change> changes = new ArrayList<>();
    for (WatchEvent event : allChanges) {
      if (event.resource().equals(resource)) {
        changes.add(new Change(event.type().name(), event.object().path("metadata").path("uid").asText(),
            Long.toString(event.resourceVersion())));
      }
    }
    return changes;
  }

  private void record(WatchEvent event) {
    notifyAll(); // wakes reads waiting for this version (awaitServedVersion)
    history.add(event);
    allChanges.add(event);
    for (Subscription subscription : subscriptions) {
      if (subscription.wants(event)) {
        subscription.queue().add(event);
      }
    }
  }

  private ObjectNode require(SimResource resource, String key) {
    ObjectNode object = objects.getOrDefault(resource, new TreeMap<>()).get(key);
    if (object == null) {
      throw new NoSuchElementException(resource.qualifiedName() + " \"" + key + "\" not found");
    }
    return object;
  }

  private static ObjectNode stamp(ObjectNode object, long version) {
    ((ObjectNode) object.get("metadata")).put("resourceVersion", Long.toString(version));
    return object;
  }
}
