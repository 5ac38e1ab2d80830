package io.kube2kafka.connect;

import io.kube2kafka.watch.WatchStatus;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * A task's watches as Connect plugin metrics (KIP-877, Kafka 4.1+), so a watch that is not watching
 * is visible where the worker's metrics are (JMX {@code kafka.connect:type=plugins,connector=NAME,task=N,watch=KEY}),
 * not only in the log: Connect has no task state between RUNNING and FAILED, and a failing watch is
 * retried rather than failing the task. Callbacks read each watch's {@link WatchStatus}; the worker
 * removes them when the task stops.
 */
final class TaskWatchMetrics {
    private static final Logger log = LoggerFactory.getLogger(TaskWatchMetrics.class);

    private TaskWatchMetrics() {
    }

    /** @param metrics the task context's plugin metrics; {@link #pluginMetricsOf} finds them */
    static void register(PluginMetrics metrics, List<WatchStatus> watches) {
        for (WatchStatus watch : watches) {
            LinkedHashMap<String, String> tags = new LinkedHashMap<>();
            tags.put("watch", watch.target().key());
            metrics.addMetric(metrics.metricName("watch-up", "1 while the watch is open (WATCHING), else 0", tags),
                    (Measurable) (config, now) -> watch.state() == WatchStatus.State.WATCHING ? 1 : 0);
            metrics.addMetric(metrics.metricName("watch-status",
                    "What the watch is doing and, while it is not watching, why (the bridge's /readyz line)", tags),
                    (Gauge<String>) (config, now) -> watch.describe());
            metrics.addMetric(metrics.metricName("watch-errors-total", "Failed lists and watches, every cause", tags),
                    (Measurable) (config, now) -> watch.errors().values().stream().mapToLong(Long::longValue).sum());
            metrics.addMetric(metrics.metricName("watch-unexpected-errors-total",
                    "Failures outside the API and I/O errors (a credential plugin or token file that throws, Kafka unreachable"
                            + " while the topic is read, a bug); each is logged and retried with backoff", tags),
                    (Measurable) (config, now) -> watch.unexpectedErrors().values().stream().mapToLong(Long::longValue).sum());
        }
    }

    /** The task's plugin metrics, or null on a worker older than Kafka 4.1, which has none (said once in the log). */
    static PluginMetrics pluginMetricsOf(org.apache.kafka.connect.source.SourceTaskContext context) {
        try {
            return context.pluginMetrics();
        } catch (LinkageError | UnsupportedOperationException e) {
            // A worker built against an older connect-api implements no pluginMetrics(): the call fails to link.
            log.warn("this Connect worker offers no plugin metrics (KIP-877 needs Kafka 4.1); a watch that is not watching"
                    + " is reported in the log only ({})", e.toString());
            return null;
        }
    }
}
