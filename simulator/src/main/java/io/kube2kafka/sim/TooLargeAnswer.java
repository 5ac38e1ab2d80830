package io.kube2kafka.sim;

/**
 * A read the server refused because it asked for a resourceVersion the server had not reached,
 * for assertions.
 *
 * @param inWatch true for an ERROR event inside a 200 watch stream, false for an HTTP 504 list answer
 */
public record TooLargeAnswer(boolean inWatch, String path, long requested, long current) {}
