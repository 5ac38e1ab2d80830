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
    private final Map<Long, String> names = new HashMap<>();
    private final long processStart = ProcessCpu.nanos();
    private final long compileStart = compileMillis();
    private final long gcStart = gcMillis();
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
        byGroup.put("(of which JIT compiling, wall)", (compileMillis() - compileStart) * 1_000_000);
        byGroup.put("(GC, wall)", (gcMillis() - gcStart) * 1_000_000);
        return byGroup.entrySet().stream()
                .filter(e -> e.getValue() >= 5_000_000)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() / 1_000_000, (a, b) -> a, LinkedHashMap::new));
    }

    private static long compileMillis() {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static String group(String threadName) {
        return threadName.replaceAll("[0-9a-f]{6,}|\\d+", "N");
    }
}
