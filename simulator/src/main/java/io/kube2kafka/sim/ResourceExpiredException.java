package io.kube2kafka.sim;

/** A list snapshot or watch start older than the oldest retained history (after compact()). */
final class ResourceExpiredException extends Exception {
  final long requested;
  final long oldest;

  ResourceExpiredException(long requested, long oldest) {
    super("too old resource version: " + requested + " (" + oldest + ")");
    this.requested = requested;
    this.oldest = oldest;
  }
}
