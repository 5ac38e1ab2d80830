package io.kube2kafka.bridge;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@link Bridge#start} is waiting on right now, so {@code /readyz} can say it from the first
 * second: a pod stuck at start-up (an API server it cannot reach, a broker that does not answer,
 * a predecessor still being fenced) tells why instead of being killed by its startupProbe in silence.
 * Written by the starting thread, read by the HTTP server's; safe from any thread.
 */
public final class StartupProgress {
    /** The start-up steps, in the order {@link Bridge#start} takes them. */
    public enum Step {
        DISCOVERY("discovery: resolving the configured resources at the API server"),
        TOPIC_CREATION("topic creation: listing and creating the topics in Kafka"),
        INIT_TRANSACTIONS("initTransactions: creating the producer and fencing any earlier bridge with the same transactional.id"),
        CHECKPOINT_READ("checkpoint read: reading the committed resourceVersions from the checkpoint topic"),
        STARTED("started");

        private final String description;

        Step(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private record State(Step step, String detail, Instant since) {
    }

    private volatile State state = new State(Step.DISCOVERY, "", Instant.now());
    private volatile String problem;
    private final Map<String, String> discoveryProblems = new ConcurrentHashMap<>();

    /** Where discovery retries say, per cluster, why it still waits (written by Bridge, read here). */
    Map<String, String> discoveryProblems() {
        return discoveryProblems;
    }

    /** The start-up has reached {@code step}; {@code detail} says where (a URL, the bootstrap servers). */
    public void reached(Step step, String detail) {
        state = new State(step, detail, Instant.now());
        problem = null;
    }

    /** The current step failed once and is being retried: readiness shows why it is still waiting. */
    public void retrying(String why) {
        problem = why;
    }

    public Step step() {
        return state.step();
    }

    public boolean started() {
        return state.step() == Step.STARTED;
    }

    /** e.g. "waiting on topic creation: ... (Kafka at 127.0.0.1:9092) for 12 s; last problem: ...". */
    public String describe() {
        State now = state;
        if (now.step() == Step.STARTED) {
            return "started";
        }
        String why = problem;
        StringBuilder text = new StringBuilder("starting: waiting on " + now.step().description()
                + (now.detail().isEmpty() ? "" : " (" + now.detail() + ")")
                + " for " + Duration.between(now.since(), Instant.now()).toSeconds() + " s"
                + (why == null ? "" : "; last problem: " + why));
        if (now.step() == Step.DISCOVERY) {
            new TreeMap<>(discoveryProblems).forEach((cluster, problem) -> text.append("\ncluster ").append(cluster).append(": ").append(problem));
        }
        return text.toString();
    }
}
