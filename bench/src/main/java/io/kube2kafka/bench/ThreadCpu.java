package io.kube2kafka.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time per Java thread between two snapshots, grouped by thread name with numbers removed
 * ("data-plane-kafka-request-handler-N"): says which part of the pipeline a round's CPU went to.
 * What the process used beyond all Java threads is the JVM's own (JIT compiler, GC).
 */
final class ThreadCpu {
    private final Map<Long, Long> start = new HashMap<>();
    private final long processStart = ProcessCpu.nanos();
    private final Map<String, Long> jvmThreadsStart = jvmThreadMillis();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    ThreadCpu() {
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu >= 0) {
                start.put(id, cpu);
            }
        }
    }

    /** Milliseconds per thread group since construction, largest first, with "JVM (JIT, GC)" for the rest of the process. */
    Map<String, Long> millisSince() {
        Map<String, Long> byGroup = new HashMap<>();
        long javaThreads = 0;
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
            if (cpu < 0 || info == null) {
                continue;
            }
            long used = cpu - start.getOrDefault(id, 0L);
            javaThreads += used;
            byGroup.merge(group(info.getThreadName()), used, Long::sum);
        }
        byGroup.merge("JVM (JIT, GC) and ended threads", Math.max(0, ProcessCpu.nanos() - processStart - javaThreads), Long::sum);
        jvmThreadMillis().forEach((group, millis) ->
                byGroup.put("(of which " + group + ")", (millis - jvmThreadsStart.getOrDefault(group, 0L)) * 1_000_000));
        return byGroup.entrySet().stream()
                .filter(e -> e.getValue() >= 5_000_000)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() / 1_000_000, (a, b) -> a, LinkedHashMap::new));
    }

    /**
     * Nanoseconds of CPU used since construction by the Java threads whose full name matches: one
     * side's own threads (the bridge's watch, publisher and producer I/O; the plain producer's
     * calling thread and its I/O thread), by the same clock for both sides.
     */
    long nanosSince(java.util.function.Predicate<String> threadName) {
        long used = 0;
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
            if (cpu >= 0 && info != null && threadName.test(info.getThreadName())) {
                used += cpu - start.getOrDefault(id, 0L);
            }
        }
        return used;
    }

    /**
     * CPU time of the JVM's own threads by kind, from /proc (Linux; 10 ms resolution), which the
     * management beans do not list: the JIT compilers and the garbage collector.
     */
    private static Map<String, Long> jvmThreadMillis() {
        Map<String, Long> millis = new HashMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return millis;
        }
        long tickMillis = 10; // USER_HZ is 100 on Linux
        for (java.io.File task : tasks) {
            try {
                String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                String kind = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? "JIT compiler threads"
                        : name.startsWith("GC Thread") || name.startsWith("G1 ") ? "GC threads" : null;
                if (kind != null) {
                    millis.merge(kind, ticks * tickMillis, Long::sum);
                }
            } catch (java.io.IOException | RuntimeException gone) {
                // the thread ended meanwhile
            }
        }
        return millis;
    }

    private static String group(String threadName) {
        return threadName.replaceAll("[0-9a-f]{6,}|\\d+", "N");
    }
}
