package io.kube2kafka.watch;

import java.io.IOException;
import java.util.Map;

/**
 * Before a watch resumes from a resourceVersion it did not just list at (a checkpoint read at start,
 * or the last version of a watch that ended), asks the API server whether it has reached that version.
 *
 * <p>A watch cannot tell. kube-apiserver serves watches from its watch cache, which accepts a watch
 * from a version it has not reached and stays silent: {@code getAllEventsSinceLocked} has no upper
 * bound, and the cacheWatcher drops every event and bookmark not newer than the version it started
 * from ({@code k8s.io/apiserver/pkg/storage/cacher}: watch_cache.go, cache_watcher.go). After an etcd
 * restore, such a watch would say nothing until the restored cluster's counter passed the checkpoint,
 * then stream the restored cluster's history as if it followed ours, having silently skipped every
 * change in between.
 *
 * <p>A list does tell. A list at a version with {@code resourceVersionMatch=NotOlderThan} is refused
 * with 504 "Too large resource version" (cause ResourceVersionTooLarge) when the server has not
 * reached it: from etcd by {@code validateMinimumResourceVersion} (storage/etcd3/store.go), from the
 * watch cache after {@code waitUntilFreshAndBlock}'s 3 s. That refusal takes the path a refused watch
 * always took here ({@link TooLargeResourceVersion}): retried briefly for a lagging server, then a
 * list and comparison for a restored one. {@code limit=1} keeps the answer to one object.
 */
final class ResumeCheck {
    private final ApiClient api;
    private final WatchTarget target;

    ResumeCheck(ApiClient api, WatchTarget target) {
        this.api = api;
        this.target = target;
    }

    /** @throws ApiException 504 with {@link ApiException#isResourceVersionTooLarge()} when the server has not reached it */
    void confirmReached(String resourceVersion) throws IOException {
        api.get(target.resource().collectionPath(target.namespace()),
                Map.of("limit", "1", "resourceVersion", resourceVersion, "resourceVersionMatch", "NotOlderThan"));
    }
}
