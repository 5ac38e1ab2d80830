package io.kube2kafka.watch;

/** Where an event came from: the watch stream itself, or a comparison of a list with what downstream holds. */
public enum Origin {
    WATCH("watch"), LIST("list");

    private final String label;

    Origin(String label) {
        this.label = label;
    }

    /** The value of the kube2kafka.origin header. */
    public String label() {
        return label;
    }
}
