package io.kube2kafka.bench;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * Waits, before a timed round, until the JIT compilers have nothing queued or in progress. Each
 * round starts a fresh bridge or producer (new topics, clients, coordinators on the broker);
 * compiling that set-up code went on in the background for hundreds of milliseconds and, on 2
 * cores, took CPU from whichever round came next. Both sides wait the same way.
 */
final class JitQuiet {
    private JitQuiet() {
    }

    static void await() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int quietPolls = 0;
        while (quietPolls < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            quietPolls = idle() ? quietPolls + 1 : 0;
        }
    }

    /** What `jcmd <pid> Compiler.queue` prints: nothing compiling and both queues empty. */
    private static boolean idle() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            String queue = (String) server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerQueue",
                    new Object[] {null}, new String[] {String[].class.getName()});
            String current = queue.substring(0, queue.indexOf("C1 compile queue:")).replace("Current compiles:", "").trim();
            return current.isEmpty() && queue.split("Empty", -1).length - 1 == 2;
        } catch (JMException | RuntimeException e) {
            return true; // not HotSpot: nothing to wait for
        }
    }
}
