package io.kube2kafka.bench;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code ./kube2kafka bench}: the four figures of issue 6 in one run, each with a line saying what
 * it measures. An embedded broker in a temporary directory serves sections 1-3 (or
 * {@code --bootstrap-servers}); it is deleted afterwards.
 */
public final class BenchMain {
    private static final String USAGE = """
            usage: ./kube2kafka bench [options]
              --events N            firehose events (default 20000)
              --rounds N            measured firehose rounds per side, alternating; the median is reported (default 5)
              --warmup-rounds N     unmeasured full-size firehose rounds per side first, so the JIT has compiled
                                    the broker's, the producer's and the bridge's code (default 6)
              --latency-events N    lone events timed (default 200, after 20 untimed)
              --idle-ms N           pause before each lone event (default 100)
              --list-objects N      objects in the first list and in the relist (default 100000)
              --list-heap SIZE      -Xmx of the first list's and the relist's JVM (default 256m)
              --page-size N         watch.page-size for the first list and the relist (default 500)
              --jmh-seconds N       JMH measurement seconds per benchmark (default 5)
              --compression TYPE    the producer's compression.type on both sides of the firehose (default: the bridge's, lz4)
              --width-resources N   custom resource types the width section's cluster serves and the bridge watches (default 300)
              --width-objects N     objects of each (default 10)
              --width-seconds N     CPU measuring window of the width section, with light churn and then quiet (default 20)
              --width-heap SIZE     -Xmx of the width section's bridge JVM (default 256m)
              --only LIST           comma-separated sections to run: firehose,latency,list,relist,decode,width (default all)
              --bootstrap-servers   use this broker instead of an embedded one
            """;

    private static final java.util.Set<String> OPTIONS = java.util.Set.of("events", "rounds", "warmup-rounds", "latency-events",
            "idle-ms", "list-objects", "list-heap", "page-size", "jmh-seconds", "only", "bootstrap-servers", "compression",
            "width-resources", "width-objects", "width-seconds", "width-heap");

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        int events = Integer.parseInt(options.getOrDefault("events", "20000"));
        int latencyEvents = Integer.parseInt(options.getOrDefault("latency-events", "200"));
        int idleMs = Integer.parseInt(options.getOrDefault("idle-ms", "100"));
        int listObjects = Integer.parseInt(options.getOrDefault("list-objects", "100000"));
        String listHeap = options.getOrDefault("list-heap", "256m");
        int pageSize = Integer.parseInt(options.getOrDefault("page-size", "500"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
        int warmupRounds = Integer.parseInt(options.getOrDefault("warmup-rounds", "6"));
        int jmhSeconds = Integer.parseInt(options.getOrDefault("jmh-seconds", "5"));
        String only = options.getOrDefault("only", "firehose,latency,list,relist,decode,width");
        String runId = UUID.randomUUID().toString().substring(0, 6).replaceAll("[^a-z0-9]", "x");

        System.out.printf("kube2kafka bench on %d cores, Java %s, max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        System.out.println(load() + " before the run");
        Path dataDir = null;
        EmbeddedKafkaBroker broker = null;
        String bootstrap = options.get("bootstrap-servers");
        boolean needsBroker = only.contains("firehose") || only.contains("latency") || only.contains("list") || only.contains("width");
        try {
            if (bootstrap == null && needsBroker) {
                dataDir = Files.createTempDirectory("kube2kafka-bench");
                broker = new EmbeddedKafkaBroker(dataDir, 0, Map.of()).start();
                bootstrap = broker.bootstrapServers();
                System.out.println("embedded broker at " + bootstrap + " (same JVM, same 2 cores)");
            }
            if (only.contains("firehose")) {
                firehose(bootstrap, runId, events, rounds, warmupRounds, options.get("compression"));
            }
            if (only.contains("latency")) {
                latency(bootstrap, runId, latencyEvents, idleMs);
            }
            if (Arrays.asList(only.split(",")).contains("list")) {
                firstList(bootstrap, runId, listObjects, listHeap, pageSize);
            }
            if (only.contains("relist")) {
                relist(bootstrap, runId, listObjects, listHeap, pageSize);
            }
            if (only.contains("width")) {
                width(bootstrap, runId, Integer.parseInt(options.getOrDefault("width-resources", "300")),
                        Integer.parseInt(options.getOrDefault("width-objects", "10")),
                        Integer.parseInt(options.getOrDefault("width-seconds", "20")), options.getOrDefault("width-heap", "256m"));
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
            if (dataDir != null) {
                deleteRecursively(dataDir);
            }
        }
        if (only.contains("decode")) {
            decode(jmhSeconds);
        }
        System.out.println();
        System.out.println("done; " + load() + " (other processes on these 2 cores skew every figure)");
        System.exit(0);
    }

    private static String load() {
        return String.format("load average %.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static Firehose.Result median(List<Firehose.Result> results) {
        List<Firehose.Result> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingLong(Firehose.Result::nanos));
        return sorted.get(sorted.size() / 2);
    }

    private static String cpuMillis(List<Firehose.Result> results) {
        return results.stream().map(r -> Long.toString(r.cpuNanos() / 1_000_000)).toList().toString();
    }

    private static double medianMicrosPerEvent(List<Firehose.Result> results) {
        double[] micros = results.stream().mapToDouble(r -> r.ownCpuNanos() / 1e3 / r.events()).sorted().toArray();
        return micros[micros.length / 2];
    }

    private static String microsPerEvent(List<Firehose.Result> results) {
        return results.stream().map(r -> String.format("%.2f", r.ownCpuNanos() / 1e3 / r.events())).toList().toString();
    }

    private static String millis(List<Firehose.Result> results) {
        return results.stream().map(r -> Long.toString(r.nanos() / 1_000_000)).toList().toString();
    }

    private static void firehose(String bootstrap, String runId, int events, int rounds, int warmupRounds, String compression) throws Exception {
        System.out.println();
        System.out.println("1. Firehose: " + events + " distinct 5-6 KB pod events, simulated server -> bridge (exactly-once) -> broker,");
        System.out.println("   beside a plain transactional KafkaProducer sending the same records with the bridge's producer settings.");
        if (compression != null) {
            System.out.println("   compression.type = " + compression + " on both sides");
        }
        try (Firehose firehose = new Firehose(bootstrap, runId,
                compression == null ? "" : "kafka.producer { \"compression.type\" = \"" + compression + "\" }")) {
            firehose(firehose, events, rounds, warmupRounds);
        }
        List<byte[]> lines = PodEvents.generate(events, 1, 42).stream().map(PodEvents.PodEvent::line).toList();
        ReadSideLayers.Figures layers = new ReadSideLayers(lines).measure(bootstrap, runId, rounds);
        System.out.printf("   read side by layer, the reading thread's CPU per event, each layer with those before it (median of %d):%n"
                        + "                   socket alone %.2f us; + HTTP client (OkHttp: status, chunks, body) %.2f us;"
                        + " + lines %.2f us; + parse %.2f us;%n"
                        + "                   the bridge's Watcher on the same stream (events, status, batches; a counting sink) %.2f us%n",
                rounds, layers.socket(), layers.client(), layers.lines(), layers.parse(), layers.watcher());
        System.out.println("                   (one chunk per event from a minimal loopback HTTP/1.1 server, no Kafka, no hand-off)");
    }

    private static void firehose(Firehose firehose, int events, int rounds, int warmupRounds) throws Exception {
        // Kafka's broker and clients run thousands of methods only a few hundred times a round: after one
        // warm-up round the JIT still compiled for a third of each round's CPU time, and it takes about
        // six rounds on the same bridge and producer to settle. Steady state is what users run.
        for (int i = 0; i < warmupRounds; i++) {
            firehose.plainProducer(events);
            firehose.bridge(events);
        }
        // Alternating rounds, median of each: other work on 2 shared cores moves single runs by 30 %.
        List<Firehose.Result> producers = new ArrayList<>();
        List<Firehose.Result> bridges = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            producers.add(firehose.plainProducer(events));
            bridges.add(firehose.bridge(events));
        }
        Firehose.Result producer = median(producers);
        Firehose.Result bridge = median(bridges);
        System.out.printf("   plain producer: %8.0f events/s  %6.1f MB/s  (%d events, %.1f MB in %d ms, %d transactions; median of %d)%n",
                producer.eventsPerSecond(), producer.megabytesPerSecond(), producer.events(), producer.bytes() / 1e6,
                producer.nanos() / 1_000_000, producer.transactions(), rounds);
        System.out.printf("   bridge:         %8.0f events/s  %6.1f MB/s  (%d events, %.1f MB in %d ms, %d transactions; median of %d)%n",
                bridge.eventsPerSecond(), bridge.megabytesPerSecond(), bridge.events(), bridge.bytes() / 1e6,
                bridge.nanos() / 1_000_000, bridge.transactions(), rounds);
        System.out.printf("   all rounds, ms: producer %s, bridge %s; the bridge's watcher had handed on the last event after %s%n",
                millis(producers), millis(bridges), bridges.stream().map(r -> Long.toString(r.handedOnNanos() / 1_000_000)).toList());
        System.out.printf("   ratio bridge/producer: %.2f   (goal >= 0.90; both after %d warm-up rounds)%n",
                bridge.eventsPerSecond() / producer.eventsPerSecond(), warmupRounds);
        System.out.printf("   CPU time of the whole process (server, bridge or producer, broker), ms: producer %s, bridge %s%n",
                cpuMillis(producers), cpuMillis(bridges));
        System.out.printf("   JIT compiler threads' CPU per round, ms: producer %s, bridge %s%n",
                producers.stream().map(r -> r.cpuMillisByThread().getOrDefault("(of which JIT compiler threads)", 0L)).toList(),
                bridges.stream().map(r -> r.cpuMillisByThread().getOrDefault("(of which JIT compiler threads)", 0L)).toList());
        System.out.println("   CPU ms by thread, median rounds: producer " + producer.cpuMillisByThread());
        System.out.println("                                    bridge " + bridge.cpuMillisByThread());
        // Issue 13, goal 4: each side's own threads by thread CPU time, in the same run. Medians of the
        // per-round figures, not the median wall-time round's, so one slow round moves neither.
        double producerMicros = medianMicrosPerEvent(producers);
        double bridgeMicros = medianMicrosPerEvent(bridges);
        System.out.printf("   own threads' CPU per event: plain producer (calling thread + its I/O thread) %.2f us %s,%n"
                        + "                               bridge (watch, publisher, producer I/O thread)   %.2f us %s%n",
                producerMicros, microsPerEvent(producers), bridgeMicros, microsPerEvent(bridges));
        System.out.printf("   ratio bridge/producer CPU per event: %.2f   (goal <= 1.25); the bridge at about %,.0f events/s per core%n",
                bridgeMicros / producerMicros, 1e6 / bridgeMicros);
        List<Firehose.Result> reads = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            reads.add(firehose.readSideOnly(events));
        }
        Firehose.Result read = median(reads);
        System.out.printf("   read side alone (server -> watcher, no Kafka): %8.0f events/s, %d ms, CPU %s ms%n",
                read.eventsPerSecond(), read.nanos() / 1_000_000, cpuMillis(reads));
        System.out.println("                                    " + read.cpuMillisByThread());
        int perTransaction = (int) Math.max(1, events / Math.max(1, bridge.transactions()));
        Firehose.Result asBridge = firehose.plainProducer(events, perTransaction);
        System.out.printf("   diagnosis: the plain producer committing as often as the bridge did (%d transactions of %d events):%n"
                        + "                   %8.0f events/s  %6.1f MB/s  (ratio bridge/this %.2f)%n",
                asBridge.transactions(), perTransaction, asBridge.eventsPerSecond(), asBridge.megabytesPerSecond(),
                bridge.eventsPerSecond() / asBridge.eventsPerSecond());
    }

    private static void latency(String bootstrap, String runId, int count, int idleMs) throws Exception {
        System.out.println();
        System.out.println("2. Lone-event latency: a pod created after " + idleMs + " ms of quiet, from the server flushing the event's");
        System.out.println("   last byte to a read_committed consumer receiving the record (exactly-once).");
        LoneEventLatency.Result result = new LoneEventLatency(bootstrap, runId).run(count, 20, Duration.ofMillis(idleMs));
        System.out.printf("   p50 %.1f ms   p90 %.1f ms   p99 %.1f ms   max %.1f ms   over %d events   (goal p99 <= 20 ms)%n",
                result.percentileMillis(50), result.percentileMillis(90), result.percentileMillis(99),
                result.percentileMillis(100), count);
    }

    private static void firstList(String bootstrap, String runId, int objects, String heap, int pageSize) throws Exception {
        System.out.println();
        System.out.println("3. First list: " + objects + " pods (about 2 KB each), listed and published by the bridge in a child JVM with -Xmx"
                + heap + ", once paginated by " + pageSize + " (watch.initial-list = paginated) and once streamed as a WatchList"
                + " (watch-list, the default's choice on a server that allows it).");
        for (String method : List.of("paginated", "watch-list")) {
            FirstList.Result result = new FirstList(bootstrap, runId).run(objects, heap, pageSize, method);
            System.out.printf("   %-10s (the simulated server created the objects in %d ms, not counted)%n", method,
                    result.createNanos() / 1_000_000);
            System.out.println("   " + (result.completed() ? "completed: " : "FAILED (exit " + result.exitCode() + "): ") + result.output());
        }
        System.out.println("   listMs = start until the watch opened after the list; committedMs = until every listed object was committed;");
        System.out.println("   maxLiveAfterGcMB = the largest heap right after a GC (the live set, or a full heap when a young pause failed to");
        System.out.println("   evacuate); fullGcs, maxAfterFullGcMB = full collections the heap forced and the most they left; peakHeapPoolsMB = sum of pool peaks.");
    }

    private static void relist(String bootstrap, String runId, int objects, String heap, int pageSize) throws Exception {
        System.out.println();
        System.out.println("3b. Relist: the topic holds " + objects + " pods (about 2 KB each, written by a plain producer in the bridge's record");
        System.out.println("   format); 1 % were deleted while unwatched and the checkpoint expired. The bridge, in a child JVM with -Xmx" + heap
                + ",");
        System.out.println("   resumes, gets 410, reads the topic's index, lists by " + pageSize + ", compares, and derives the deletions.");
        Relist.Result result = new Relist(bootstrap, runId).run(objects, heap, pageSize);
        System.out.printf("   (writing the topic took %d ms, not counted)%n", result.writeNanos() / 1_000_000);
        System.out.println("   " + (result.completed() ? "completed: " : "FAILED (exit " + result.exitCode() + "): ") + result.output());
        System.out.println("   totalMs = bridge start until the " + result.deletions() + " deletions were committed (goal <= 60 s); indexReadMs =");
        System.out.println("   reading the topic (until the first page is compared); compareMs = the rest of the list; deletionsMs = last");
        System.out.println("   states read back, DELETEDs committed; bytesPerIndexedObject = retained heap of the index's table per object");
        System.out.println("   (goal <= 64; a HashMap<String, ...> spends about 200).");
    }

    private static void width(String bootstrap, String runId, int resources, int objects, int seconds, String heap) throws Exception {
        System.out.println();
        System.out.println("5. Width: a simulated cluster (HTTP/2 and HTTP/1.1 over TLS) serving " + resources + " custom resource types, "
                + objects + " objects each, light churn;");
        System.out.println("  the bridge in a child JVM with -Xmx" + heap + " watches the whole cluster (resources = [\"*\"],"
                + " events excluded by default: the custom resources plus the standard ones).");
        for (Width.Result result : new Width(bootstrap, runId).run(resources, objects, seconds, heap)) {
            System.out.println("   " + result.protocol() + (result.completed() ? " completed" : " FAILED") + "; the server had "
                    + result.serverOpenWatches() + " watches open when the bridge said all stream");
        }
        System.out.println("   afterMs = start until every watch streams; cpuMs = the child's process CPU over the window (JIT and GC");
        System.out.println("   included); perWatchUsPerSecond = that per watch per second; coreShare = the share of one core. " + load());
    }

    private static void decode(int seconds) throws Exception {
        System.out.println();
        System.out.println("4. Decode cost per 5-6 KB event: the bridge's WatchLineParser.parse against Jackson's readTree (JMH, 1 fork).");
        Options jmh = new OptionsBuilder()
                .include(DecodeBenchmark.class.getName())
                .forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(seconds).measurementTime(TimeValue.seconds(1))
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(jmh).run();
        Map<String, double[]> scores = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            scores.put(name.substring(name.lastIndexOf('.') + 1),
                    new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        double[] parse = scores.get("bridgeParse");
        double[] tree = scores.get("jacksonReadTree");
        System.out.printf("   bridge parse:     %8.0f ns/event (± %.0f)%n", parse[0], parse[1]);
        System.out.printf("   Jackson readTree: %8.0f ns/event (± %.0f)%n", tree[0], tree[1]);
        System.out.printf("   ratio readTree/parse: %.1fx   (goal >= 20x)%n", tree[0] / parse[0]);
        double[] walk = scores.get("metadataWalkOnly");
        System.out.printf("   the floor, only walking the metadata to its end (where managedFields is): %.0f ns/event (± %.0f),%n"
                + "   so no byte-at-a-time parse that reads the attribution gets past %.1fx here%n", walk[0], walk[1], tree[0] / walk[0]);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            if (!arg.startsWith("--") || i + 1 >= args.length) {
                System.err.print("bench: unexpected argument " + arg + "\n" + USAGE);
                System.exit(2);
            }
            String name = arg.substring(2);
            if (!OPTIONS.contains(name)) {
                System.err.print("bench: unknown option " + arg + "\n" + USAGE);
                System.exit(2);
            }
            options.put(name, args[++i]);
        }
        return options;
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
