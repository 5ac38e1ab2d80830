package io.kube2kafka.watch;

/**
 * What a WatchList stream's lines say beyond what {@link WatchLineParser} reads for every event: whether
 * a bookmark ends the initial events, and where a line's object is, to re-tag it with another type.
 */
final class InitialEventsLine {
    /**
     * The annotation the watch cache puts on the bookmark that follows the last initial event
     * (metav1.InitialEventsAnnotationKey, k8s.io/apimachinery/pkg/apis/meta/v1/types.go; written by the
     * cacher's cacheWatcher when sendInitialEvents=true, k8s.io/apiserver/pkg/storage/cacher).
     */
    static final String END_ANNOTATION = "k8s.io/initial-events-end";

    private InitialEventsLine() {
    }

    /**
     * Whether this bookmark line carries {@code metadata.annotations["k8s.io/initial-events-end"] == "true"}.
     * client-go looks for exactly that value (meta.GetAnnotations()[metav1.InitialEventsAnnotationKey]
     * == "true" in handleAnyWatch, tools/cache/reflector.go). Bookmarks are small and rare, so the whole
     * line is read.
     */
    static boolean endsInitialEvents(byte[] line) throws MalformedEventException {
        JsonScanner in = new JsonScanner(line, 0);
        return toMember(in, "a bookmark", "object", '{')
                && toMember(in, "a bookmark's object", "metadata", '{')
                && toMember(in, "metadata", "annotations", '{')
                && toMember(in, "annotations", END_ANNOTATION, '"')
                && "true".equals(in.string());
    }

    /**
     * Enters the object at the cursor and moves to the value of {@code member}, skipping the others.
     *
     * @param opening the first byte the member's value must have ('{' for an object, '"' for a string)
     * @return false when the object has no such member, or its value is of another kind
     */
    private static boolean toMember(JsonScanner in, String what, String member, char opening) throws MalformedEventException {
        if (!in.enterObject(what)) {
            return false;
        }
        do {
            in.key();
            if (in.keyIs(member) && in.peek() == opening) {
                return true;
            }
            in.skipValue();
        } while (in.more('}'));
        return false;
    }

    /** The bytes of the line's {@code object} value, e.g. to wrap it in an event of another type. */
    static byte[] object(byte[] line) throws MalformedEventException {
        JsonScanner in = new JsonScanner(line, 0);
        if (!toMember(in, "an event object", "object", '{')) {
            throw new MalformedEventException("watch event has no \"object\"", null);
        }
        int start = in.position();
        in.skipValue();
        return java.util.Arrays.copyOfRange(line, start, in.position());
    }
}
