package io.kube2kafka.sim;

/**
 * Fast path for benchmarks: the objects a list of one resource returns, written on demand instead of
 * stored as trees. A million 2 KB pods held as Jackson trees take about 13 GB of heap, and building
 * each page from a copy of the whole store makes a list of a million quadratic; a source writes each
 * item when its page is served. See {@link SimulatedApiServer#serveRawList}.
 */
public interface RawListSource {
  /** How many objects the list has. */
  int size();

  /**
   * Appends item {@code index} as JSON, as a list item (built-in resources: no kind or apiVersion);
   * the same index must always give the same object.
   */
  void appendItem(int index, StringBuilder json);
}
