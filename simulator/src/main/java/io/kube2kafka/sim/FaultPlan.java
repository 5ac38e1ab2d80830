package io.kube2kafka.sim;

/** Requests still to be failed with a given status, e.g. two 429s with Retry-After: 1. */
final class FaultPlan {
  record Failure(int code, String retryAfter) {}

  private int remaining;
  private int watchListsToEndEarly;

  /** The next {@code count} WatchList streams end, cleanly, just before the bookmark that ends their initial events. */
  synchronized void endWatchListsBeforeBookmark(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("need count >= 0, got " + count);
    }
    watchListsToEndEarly = count;
  }

  /** Whether this WatchList stream ends before its bookmark; each call that says yes uses one up. */
  synchronized boolean takeWatchListEnd() {
    if (watchListsToEndEarly == 0) {
      return false;
    }
    watchListsToEndEarly--;
    return true;
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
