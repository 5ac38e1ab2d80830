package io.kube2kafka.watch;

/**
 * Where an event came from: the watch stream itself, a comparison of a list with what downstream
 * holds, or a resnapshot signal that publishes every live object again.
 */
public enum Origin {
    WATCH("watch"), LIST("list"), SNAPSHOT("snapshot");

    private final String label;

    Origin(String label) {
        this.label = label;
    }

    /** The value of the kube2kafka.origin header. */
    public String label() {
        return label;
    }
}
