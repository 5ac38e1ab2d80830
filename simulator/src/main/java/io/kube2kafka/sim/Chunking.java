package io.kube2kafka.sim;

import java.util.Random;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Where the server cuts each watch line into HTTP chunks. Every chunk is flushed on its own, so a
 * client reading the socket sees exactly these boundaries (TCP may still merge them, but over
 * loopback with a flush per chunk it rarely does, and never splits further than this).
 */
@FunctionalInterface
public interface Chunking {

  /** Ascending offsets strictly inside {@code (0, line.length)} at which a new chunk begins. */
  int[] splitPoints(byte[] line);

  /** One chunk per event line, as the real server usually writes them. */
  static Chunking wholeLines() {
    return line -> new int[0];
  }

  /** Every byte in a chunk of its own: the most hostile framing a client can meet. */
  static Chunking oneByteAtATime() {
    return line -> IntStream.range(1, line.length).toArray();
  }

  /**
   * A few random cuts per line, reproducible from the seed. If the line contains a multi-byte
   * UTF-8 character, one cut always falls inside the first such character, because decoding each
   * chunk on its own is the classic bug this is meant to catch.
   */
  static Chunking randomSplits(long seed) {
    Random random = new Random(seed);
    return line -> {
      TreeSet<Integer> points = new TreeSet<>();
      if (line.length < 2) {
        return new int[0];
      }
      int cuts = 1 + random.nextInt(4);
      for (int i = 0; i < cuts; i++) {
        points.add(1 + random.nextInt(line.length - 1));
      }
      for (int i = 1; i < line.length; i++) {
        if ((line[i] & 0xC0) == 0x80) { // a continuation byte: cutting before it splits a character
          points.add(i);
          break;
        }
      }
      return points.stream().mapToInt(Integer::intValue).toArray();
    };
  }
}
