package io.kube2kafka.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time this JVM has used, user and system. Server, bridge and broker share this process, so
 * a round's CPU time is the whole cost of moving its events, whatever thread or kernel path paid it.
 */
final class ProcessCpu {
    private ProcessCpu() {
    }

    static long nanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
