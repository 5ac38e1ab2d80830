package io.kube2kafka.watch;

/**
 * Which way one watch lists next: the configured {@link InitialList}, and for {@code auto} whether
 * the server has refused WatchList, remembered for the life of this watch.
 *
 * <p>Only a 422 Invalid counts as a refusal. kube-apiserver answers one when the WatchList feature
 * gate is off ("sendInitialEvents is forbidden for watch unless the WatchList feature gate is
 * enabled", ValidateListOptions in k8s.io/apimachinery/pkg/apis/meta/internalversion/validation) and
 * a server from before sendInitialEvents answers one too, because resourceVersionMatch is forbidden
 * on a watch there. client-go's reflector (ListAndWatchWithContext, tools/cache/reflector.go) falls
 * back to a paginated list for one round on ANY error of the watch-list request, "because making
 * progress is better than deadlocking", and tries WatchList again the next round. Here a 422 is
 * remembered instead, since it will not change while the server runs, and any other error (a cut, a
 * 429, a 5xx, a 403) is retried like the same error on a paginated list: it would fail that list too.
 */
final class InitialListChoice {
    private final InitialList configured;
    private volatile boolean refused;

    InitialListChoice(InitialList configured) {
        this.configured = configured;
    }

    /** Whether the next list is a WatchList stream. */
    boolean streams() {
        return configured == InitialList.WATCH_LIST || configured == InitialList.AUTO && !refused;
    }

    /**
     * @param failure what the server answered the watch-list request
     * @return true when this watch falls back to paginated lists from now on
     */
    boolean fallsBackAfter(ApiException failure) {
        if (configured != InitialList.AUTO || !isRefusal(failure)) {
            return false;
        }
        refused = true;
        return true;
    }

    static boolean isRefusal(ApiException failure) {
        return failure.code() == 422 || "Invalid".equals(failure.reason());
    }

    InitialList configured() {
        return configured;
    }
}
