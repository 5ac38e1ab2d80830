package io.kube2kafka.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube2kafka.watch.MalformedEventException;
import io.kube2kafka.watch.WatchLineParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Section 4: what the bridge reads of each event line (type, uid, name, namespace,
 * resourceVersion, and who last wrote the object: manager, operation and time of the newest
 * managedFields entry, which sits at the end of the metadata) against a full Jackson tree decode of
 * the same line. 1024 distinct 5-6 KB pod events, cycled, so neither the JIT nor the CPU cache sees
 * one line over and over. Each line's managedFields holds two entries with fieldsV1 keys such as
 * k:{"uid":"..."} that are new on every line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecodeBenchmark {
    private static final int LINES = 1024;
    private final WatchLineParser parser = new WatchLineParser();
    private final ObjectMapper mapper = new ObjectMapper();
    private byte[][] lines;
    /** Per line, where its metadata object starts. */
    private int[] metadataStarts;
    private int next;

    @Setup
    public void generate() throws MalformedEventException {
        List<PodEvents.PodEvent> events = PodEvents.generate(LINES, 5000, 42);
        lines = new byte[LINES][];
        metadataStarts = new int[LINES];
        for (int i = 0; i < LINES; i++) {
            byte[] line = events.get(i).line();
            // As the line reader hands it on: without the newline.
            lines[i] = Arrays.copyOf(line, line.length - 1);
            metadataStarts[i] = new String(lines[i], StandardCharsets.UTF_8).indexOf("\"metadata\":") + "\"metadata\":".length();
            // The streaming side must do the whole job, attribution included, or the comparison flatters it.
            if (parser.parse(lines[i]).attribution() == null) {
                throw new IllegalStateException("event " + i + " has no attribution: the benchmark would not measure reading it");
            }
        }
    }

    @Benchmark
    public WatchLineParser.ParsedLine bridgeParse() throws MalformedEventException {
        return parser.parse(lines[next++ & (LINES - 1)]);
    }

    /**
     * The floor of any parse that must reach managedFields, ObjectMeta's last field: only walking the
     * metadata's bytes to its closing brace, keeping track of strings, escapes and brackets and of
     * nothing else (the parse's own skip, with nothing kept).
     */
    @Benchmark
    public int metadataWalkOnly() throws MalformedEventException {
        int line = next++ & (LINES - 1);
        return WatchLineParser.endOfValue(lines[line], metadataStarts[line]);
    }

    @Benchmark
    public JsonNode jacksonReadTree() throws IOException {
        return mapper.readTree(lines[next++ & (LINES - 1)]);
    }
}
