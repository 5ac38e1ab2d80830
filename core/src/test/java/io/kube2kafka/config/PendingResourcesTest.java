package io.kube2kafka.config;

import com.typesafe.config.ConfigFactory;
import io.kube2kafka.sim.SimResource;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.watch.Discovery;
import io.kube2kafka.watch.GroupDiscoveryFailedException;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.UnknownResourceException;
import io.kube2kafka.watch.WatchTarget;
import io.kube2kafka.watch.WidgetsCluster;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Configured resources of a cluster with an aggregated group that answers 503 (metrics.k8s.io): what
 * resolves now, what waits for the group, and how the wait ends when the group answers.
 */
class PendingResourcesTest {
    @AutoClose
    private final SimulatedApiServer server = WidgetsCluster.start();

    @BeforeEach
    void start() {
        server.addResource(new SimResource("metrics.k8s.io", "v1beta1", "nodes", "NodeMetrics", false));
        server.setGroupUnavailable("metrics.k8s.io", true);
    }

    private ResolvedTargets resolve(String resources) throws Exception {
        BridgeSettings settings = new SettingsLoader(Map.of()).from(
                ConfigFactory.parseString("kube2kafka.resources = " + resources), new ArrayList<>());
        return TargetResolver.resolveWhatAnswers(settings.onlyCluster(), new Discovery(WidgetsCluster.client(server)), "");
    }

    /** Records what PendingResources asks the runtime to do. */
    private static final class Recorded implements PendingResources.Changes {
        final List<String> started = new ArrayList<>();
        final List<String> pending = new ArrayList<>();
        Exception failed;

        @Override
        public void start(List<WatchTarget> appeared) {
            appeared.forEach(target -> started.add(target.key()));
        }

        @Override
        public void pending(ResolvedTargets now) {
            pending.add(String.join(",", now.pending().keySet()));
        }

        @Override
        public void failed(Exception e) {
            failed = e;
        }
    }

    /** The group answers while the loop pauses before its first retry. */
    private PendingResources answeringAfterOnePause(ResolvedTargets first, String resources, Recorded changes) {
        Pauser groupComesBack = duration -> server.setGroupUnavailable("metrics.k8s.io", false);
        return new PendingResources("local", first, () -> resolve(resources), changes, Duration.ofMillis(1), Duration.ofMillis(1),
                groupComesBack);
    }

    @Test
    void theNamesOfAnsweringGroupsResolveAndTheOthersWaitNamingTheGroup() throws Exception {
        ResolvedTargets now = resolve("[pods, nodes.metrics.k8s.io, gizmos, widgets]");

        assertEquals(List.of("local/core/pods", "local/example.com/widgets"), now.targets().stream().map(WatchTarget::key).toList());
        assertEquals(List.of("nodes.metrics.k8s.io", "gizmos"), List.copyOf(now.pending().keySet()),
                "gizmos could be in the group that did not answer: not unknown yet");
        assertTrue(now.describePending().contains("\"nodes.metrics.k8s.io\" is not resolved yet: discovery of metrics.k8s.io/v1beta1 "
                + "failed (HTTP 503 ServiceUnavailable"), now.describePending());
        assertThrows(GroupDiscoveryFailedException.class, now::requireComplete);
    }

    @Test
    void aWaitingNameStartsOnceItsGroupAnswersAndTheWaitEnds() throws Exception {
        String resources = "[pods, nodes.metrics.k8s.io]";
        Recorded changes = new Recorded();

        answeringAfterOnePause(resolve(resources), resources, changes).run();

        assertEquals(List.of("local/metrics.k8s.io/nodes"), changes.started, "only the new watch starts; pods runs already");
        assertEquals(List.of("nodes.metrics.k8s.io", ""), changes.pending, "named while waiting, then nothing left");
        assertEquals(null, changes.failed);
    }

    @Test
    void aWaitingNameNotServedOnceItsGroupAnswersIsAnUnknownResource() throws Exception {
        String resources = "[pods, gizmos]";
        Recorded changes = new Recorded();

        answeringAfterOnePause(resolve(resources), resources, changes).run();

        UnknownResourceException unknown = assertInstanceOf(UnknownResourceException.class, changes.failed);
        assertTrue(unknown.getMessage().contains("unknown resource \"gizmos\""), unknown.getMessage());
        assertTrue(changes.started.isEmpty(), "nothing new to start: " + changes.started);
    }
}
