package io.kube2kafka.watch;

/** A configured resource the API server does not serve: a start-up error that names it. */
public final class UnknownResourceException extends Exception {
    private final String resource;

    public UnknownResourceException(String resource, String why) {
        super("unknown resource \"" + resource + "\": " + why + " (kubectl api-resources lists what it serves)");
        this.resource = resource;
    }

    public String resource() {
        return resource;
    }
}
