package io.kube2kafka.watch;

/** A watch line that is not a usable event: bad JSON, no type, an unknown type, no uid. */
public final class MalformedEventException extends Exception {
    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
