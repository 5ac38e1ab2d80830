package io.kube2kafka.sim;

/** Requests still to be failed with a given status, e.g. two 429s with Retry-After: 1. */
final class FaultPlan {
  record Failure(int code, String retryAfter) {}

  private int remaining;
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
