package io.kube2kafka.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Waits, before a timed round, until the JIT compiler has been idle for a moment. Each round starts
 * a fresh bridge or producer (new topics, clients, coordinators on the broker); compiling that
 * set-up code goes on in the background for hundreds of milliseconds and, on 2 cores, took CPU
 * from whichever round came next. Both sides wait the same way, so rounds measure the data path.
 */
final class JitQuiet {
    private JitQuiet() {
    }

    static void await() throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        long last = jit.getTotalCompilationTime();
        int quietPolls = 0;
        while (quietPolls < 4 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            long now = jit.getTotalCompilationTime();
            quietPolls = now == last ? quietPolls + 1 : 0;
            last = now;
        }
    }
}
