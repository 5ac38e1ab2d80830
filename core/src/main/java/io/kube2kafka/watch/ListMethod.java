package io.kube2kafka.watch;

/** How a watch read the objects of a list: the {@code method} of a notification. */
public enum ListMethod {
    /** A watch with sendInitialEvents=true: the objects stream as ADDED events up to an annotated bookmark. */
    WATCH_LIST("watch-list"),
    /** GET with limit and continue, page by page. */
    PAGINATED_LIST("paginated-list");

    private final String label;

    ListMethod(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
