package io.kube2kafka.sim;

/** Requests still to be failed with a given status, e.g. two 429s with Retry-After: 1. */
final class FaultPlan {
  record Failure(int code, String retryAfter) {}

  private int remaining;
  private int watchListsToEndEarly;
  private int initialEventsBeforeEnd;

  /**
   * The next {@code count} WatchList streams end, cleanly, after at most {@code afterInitialEvents} of their
   * initial events, so always before the bookmark that ends them.
   */
  synchronized void endWatchListsBeforeBookmark(int count, int afterInitialEvents) {
    if (count < 0 || afterInitialEvents < 0) {
      throw new IllegalArgumentException("need count >= 0 and afterInitialEvents >= 0, got " + count + ", " + afterInitialEvents);
    }
    watchListsToEndEarly = count;
    initialEventsBeforeEnd = afterInitialEvents;
  }

  /**
   * How many initial events this WatchList stream sends before it ends, or -1 when it is not cut short;
   * each answer other than -1 uses one up.
   */
  synchronized int takeWatchListEnd() {
    if (watchListsToEndEarly == 0) {
      return -1;
    }
    watchListsToEndEarly--;
    return initialEventsBeforeEnd;
  }
  private Failure failure;

  synchronized void failNext(int count, int code, String retryAfter) {
    if (count < 0 || code < 400 || code > 599) {
      throw new IllegalArgumentException("need count >= 0 and an error status, got " + count + ", " + code);
    }
    remaining = count;
    failure = new Failure(code, retryAfter);
  }

  /** The failure this request gets, or null; each call uses one up. */
  synchronized Failure take() {
    if (remaining == 0) {
      return null;
    }
    remaining--;
    return failure;
  }
}
