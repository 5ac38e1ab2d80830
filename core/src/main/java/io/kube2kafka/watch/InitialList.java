package io.kube2kafka.watch;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a watch reads its first list and every relist: the values of {@code watch.initial-list}. */
public enum InitialList {
    /** WatchList streaming while the server allows it; paginated lists from the first refusal (422 Invalid) on. */
    AUTO("auto"),
    /** WatchList streaming only: a refusal is a failure, retried with backoff, never a paginated list. */
    WATCH_LIST("watch-list"),
    /** GET with limit and continue, page by page, as before WatchList existed. */
    PAGINATED("paginated");

    /** The configuration key, named by the messages of the watch package (which does not import config). */
    public static final String KEY = "watch.initial-list";

    private final String label;

    InitialList(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** @throws IllegalArgumentException naming the key, the value and the allowed values */
    public static InitialList parse(String value) {
        String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (InitialList mode : values()) {
            if (mode.label.equals(wanted)) {
                return mode;
            }
        }
        throw new IllegalArgumentException(KEY + "=\"" + value + "\": must be one of "
                + Arrays.stream(values()).map(InitialList::label).collect(Collectors.joining(", ")));
    }
}
