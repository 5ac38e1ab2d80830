package io.kube2kafka.watch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a watch resumes from its stored resume point, decided once at start from the stored
 * resourceVersion, the cluster identity stored with it, and the identity of the cluster the name
 * points at now. The standalone bridge (checkpoints) and Kafka Connect (source offsets) both ask here.
 */
public final class ResumeDecision {
    private static final Logger log = LoggerFactory.getLogger(ResumeDecision.class);

    private ResumeDecision() {
    }

    /**
     * @param storedResourceVersion null when the watch never committed
     * @param storedClusterUid null when the resume point predates cluster identities, or the identity was unknown
     * @return where to resume, or that the watch lists and compares with what downstream holds, and why
     */
    public static ResumePoint resumeFrom(WatchTarget target, String storedResourceVersion, String storedClusterUid) {
        if (storedResourceVersion == null) {
            return ResumePoint.of(null);
        }
        String current = target.clusterUid();
        // Without both identities there is nothing to compare; an older resume point gains one with its next commit.
        if (storedClusterUid == null || storedClusterUid.isEmpty() || current == null || storedClusterUid.equals(current)) {
            return ResumePoint.of(storedResourceVersion);
        }
        log.error("{}: the name {} now points at ANOTHER CLUSTER. The resume point at resourceVersion {} was committed for the cluster "
                + "whose kube-system uid is {}, but the API server now answers with kube-system uid {}. The same resourceVersions mean "
                + "other changes there, so the watch lists with a consistent read and compares with the topic instead of resuming",
                target, target.cluster(), storedResourceVersion, storedClusterUid, current);
        return new ResumePoint(null, storedResourceVersion, ListCause.CLUSTER_CHANGED);
    }
}
