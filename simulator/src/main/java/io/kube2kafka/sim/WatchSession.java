package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Streams one watch on its connection's thread: queued events as lines, bookmarks when the
 * watch is idle, and a clean end at timeoutSeconds. The thread blocks on the event queue with a
 * timeout (the next bookmark or the deadline), never spins.
 *
 * <p>Like kube-apiserver's watch handler ({@code if len(ch) == 0 { flusher.Flush() }} in
 * {@code endpoints/handlers/watch.go}), it flushes once no further event is queued: a lone event
 * leaves at once, a burst leaves in as few writes as the buffer allows.
 *
 * <p>Lifecycle: 1. the handler subscribes {@link #queue()} to the store; 2. writes the 200 head;
 * 3. calls {@link #stream()}, which returns whether the connection can serve another request.
 * Faults requested from other threads are flags, and a {@link WatchEvent#WAKE_UP} in the queue
 * makes the thread see them at once.
 */
final class WatchSession {
  private final BlockingQueue<WatchEvent> queue = new LinkedBlockingQueue<>();
  private final ClusterState state;
  private final SimResource resource;
  private final ObjectFilter filter;
  private final Duration bookmarkInterval; // null when the client did not ask for bookmarks
  private final Duration timeout;
  private final Supplier<Chunking> chunking;
  private final Supplier<EventFlushListener> flushed;
  private final ResponseWriter out;
  private final long afterVersion;
  private final java.util.Queue<byte[]> rawLines = new java.util.concurrent.ConcurrentLinkedQueue<>();
  /** Versions of the object events written since the last flush, for the flush listener. */
  private final java.util.List<Long> unflushed = new java.util.ArrayList<>();
  private volatile boolean cutNextLine;
  private volatile boolean silenced;
  /** Initial events still to send before the stream ends short of its bookmark; -1: it is not cut short. */
  private volatile int initialEventsBeforeEnd = -1;
  /** True until the end of the initial events (or for good, on a watch without them: its limit is -1). */
  private boolean initialPhase = true;

  WatchSession(ClusterState state, SimResource resource, ObjectFilter filter, Duration bookmarkInterval,
      Duration timeout, Supplier<Chunking> chunking, Supplier<EventFlushListener> flushed, ResponseWriter out,
      long afterVersion) {
    this.state = state;
    this.resource = resource;
    this.filter = filter;
    this.bookmarkInterval = bookmarkInterval;
    this.timeout = timeout;
    this.chunking = chunking;
    this.flushed = flushed;
    this.out = out;
    this.afterVersion = afterVersion;
  }

  BlockingQueue<WatchEvent> queue() {
    return queue;
  }

  /** Writes these bytes as the next line, as they are: for malformed or unexpected events. */
  void injectRawLine(byte[] line) {
    rawLines.add(line);
    queue.add(WatchEvent.WAKE_UP);
  }

  /** The next line is cut halfway and the connection closed, with no terminating chunk. */
  void cutNextLine() {
    cutNextLine = true;
    queue.add(WatchEvent.WAKE_UP);
  }

  /**
   * The stream ends cleanly (with its terminating chunk) after {@code afterInitialEvents} initial events,
   * or where the bookmark ending them was due, as a WatchList stream cut short does: what the client cannot tell from a complete one
   * unless it waits for the bookmark (kubernetes #140890).
   */
  void endBeforeInitialEventsEnd(int afterInitialEvents) {
    initialEventsBeforeEnd = afterInitialEvents;
  }

  /** No more bytes on this watch, but the socket stays open: a half-open connection. */
  void silence() {
    silenced = true;
    queue.add(WatchEvent.WAKE_UP);
  }

  /** The resource this watch streams. */
  SimResource resource() {
    return resource;
  }

  /**
   * Ends the watch cleanly after the events already queued: the resource's storage is gone. Its
   * DELETED events, queued before, are written first, as the real server's cacher delivers what it
   * holds before it stops its watchers.
   */
  void endWithStorage() {
    queue.add(WatchEvent.STORAGE_GONE);
  }

  /**
   * Writes a raw source's objects as the first initial events, before {@link #stream()} writes the
   * queued ones and the bookmark ending them: a WatchList of a benchmark's bulk.
   *
   * @return false when the connection was cut meanwhile
   */
  boolean writeInitialEvents(RawLists.InitialEvents events) throws IOException {
    for (int i = 0; i < events.size(); i++) {
      if (!write(events.line(i))) {
        return false;
      }
    }
    return true;
  }

  /** @return true when the stream ended cleanly and the connection may serve another request */
  boolean stream() throws IOException, InterruptedException {
    long now = System.nanoTime();
    long deadline = now + timeout.toNanos();
    long nextBookmark = bookmarkInterval == null ? Long.MAX_VALUE : now + bookmarkInterval.toNanos();
    while (true) {
      if (queue.isEmpty()) {
        flush();
      }
      if (silenced) {
        flush(); // what was written before the connection went silent still arrives
        out.awaitClientGone();
        return false;
      }
      now = System.nanoTime();
      if (now - deadline >= 0) {
        out.endStream();
        return true;
      }
      long wait = Math.min(deadline - now, nextBookmark == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, nextBookmark - now));
      WatchEvent event = queue.poll(wait, TimeUnit.NANOSECONDS);
      if (event == null) {
        if (System.nanoTime() - nextBookmark >= 0) {
          long version = state.bookmarkVersionIfDrained(queue);
          // Not below the version the watch started from: the cacheWatcher drops those (cache_watcher.go).
          if (version >= 0 && version >= afterVersion && !write(bookmark(version))) {
            return false;
          }
          nextBookmark = System.nanoTime() + bookmarkInterval.toNanos();
        }
        continue;
      }
      if (event == WatchEvent.STORAGE_GONE) {
        flush();
        out.endStream();
        return true;
      }
      if (event == WatchEvent.WAKE_UP) {
        byte[] raw;
        while ((raw = rawLines.poll()) != null) {
          out.chunks(raw, chunking.get().splitPoints(raw));
        }
        continue;
      }
      if (cutShortBefore(event)) {
        flush();
        out.endStream();
        return true;
      }
      if (event.type() == WatchEvent.Type.INITIAL_EVENTS_END) {
        initialPhase = false;
        // "followed by a BOOKMARK event (if requested via allowWatchBookmarks=true option)": the API concepts
        // page, "Streaming lists" (kubernetes.io/docs/reference/using-api/api-concepts/#streaming-lists).
        if (bookmarkInterval != null && !write(initialEventsEnd(event.resourceVersion()))) {
          return false;
        }
        continue;
      }
      if (event.rawLine() != null) {
        if (!write(event.rawLine())) {
          return false;
        }
        unflushed.add(event.resourceVersion());
        continue;
      }
      ObjectNode line = toWatchLine(event);
      if (line != null) {
        if (!write(Json.line(line))) {
          return false;
        }
        unflushed.add(event.resourceVersion());
        if (initialPhase && initialEventsBeforeEnd > 0) {
          initialEventsBeforeEnd--;
        }
      }
    }
  }

  /** Whether a WatchList stream cut short ends before {@code event}: its initial events are used up, or its bookmark is next. */
  private boolean cutShortBefore(WatchEvent event) {
    if (!initialPhase || initialEventsBeforeEnd < 0) {
      return false;
    }
    return initialEventsBeforeEnd == 0 || event.type() == WatchEvent.Type.INITIAL_EVENTS_END;
  }

  private void flush() throws IOException {
    out.flush();
    if (!unflushed.isEmpty()) {
      long now = System.nanoTime();
      EventFlushListener listener = flushed.get();
      for (long version : unflushed) {
        listener.flushed(version, now);
      }
      unflushed.clear();
    }
  }

  /** Writes an ERROR line with the Status and ends the stream; used for an expired start. */
  void writeErrorAndEnd(ObjectNode status) throws IOException {
    ObjectNode line = Json.object();
    line.put("type", "ERROR");
    line.set("object", status);
    out.chunks(Json.line(line), chunking.get().splitPoints(Json.line(line)));
    out.endStream();
  }

  private boolean write(ObjectNode event) throws IOException {
    return write(Json.line(event));
  }

  private boolean write(byte[] line) throws IOException {
    if (cutNextLine) {
      out.cutMidLine(line);
      return false;
    }
    out.chunks(line, chunking.get().splitPoints(line));
    return true;
  }

  /**
   * Applies the selector the way the watch cache does: an object that stops matching is sent as
   * DELETED with its previous content stamped with the event's version, one that starts matching
   * as ADDED, one that never matched not at all.
   */
  private ObjectNode toWatchLine(WatchEvent event) {
    if (event.resourceVersion() <= afterVersion) {
      return null;
    }
    boolean nowMatches = event.type() != WatchEvent.Type.DELETED && filter.test(event.object());
    boolean matchedBefore = event.previous() != null && filter.test(event.previous());
    String type;
    ObjectNode object;
    if (nowMatches) {
      type = matchedBefore ? "MODIFIED" : "ADDED";
      object = event.object();
    } else if (matchedBefore) {
      type = "DELETED";
      object = event.previous().deepCopy();
      ((ObjectNode) object.get("metadata")).put("resourceVersion", Long.toString(event.resourceVersion()));
    } else {
      return null;
    }
    ObjectNode line = Json.object();
    line.put("type", type);
    line.set("object", object);
    return line;
  }

  /**
   * The bookmark after the initial events: the watch cache's, annotated as
   * storage.AnnotateInitialEventsEndBookmark does (k8s.io/apiserver/pkg/storage), with the version the
   * initial events showed.
   */
  private ObjectNode initialEventsEnd(long version) {
    ObjectNode line = bookmark(version);
    ((ObjectNode) line.get("object").get("metadata")).putObject("annotations").put("k8s.io/initial-events-end", "true");
    return line;
  }

  private ObjectNode bookmark(long version) {
    ObjectNode line = Json.object();
    line.put("type", "BOOKMARK");
    ObjectNode object = line.putObject("object");
    object.put("kind", resource.kind());
    object.put("apiVersion", resource.apiVersion());
    object.putObject("metadata").put("resourceVersion", Long.toString(version));
    return line;
  }

}
