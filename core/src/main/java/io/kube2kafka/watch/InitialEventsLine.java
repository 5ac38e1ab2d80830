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
        if (!in.enterObject("a bookmark")) {
            return false;
        }
        do {
            in.key();
            if (in.keyIs("object") && in.peek() == '{') {
                return objectEndsInitialEvents(in);
            }
            in.skipValue();
        } while (in.more('}'));
        return false;
    }

    private static boolean objectEndsInitialEvents(JsonScanner in) throws MalformedEventException {
        if (!in.enterObject("a bookmark's object")) {
            return false;
        }
        do {
            in.key();
            if (in.keyIs("metadata") && in.peek() == '{') {
                return annotated(in, "metadata", "annotations");
            }
            in.skipValue();
        } while (in.more('}'));
        return false;
    }

    private static boolean annotated(JsonScanner in, String what, String member) throws MalformedEventException {
        if (!in.enterObject(what)) {
            return false;
        }
        do {
            in.key();
            if (in.keyIs(member) && in.peek() == '{') {
                return annotationIsTrue(in);
            }
            in.skipValue();
        } while (in.more('}'));
        return false;
    }

    private static boolean annotationIsTrue(JsonScanner in) throws MalformedEventException {
        if (!in.enterObject("annotations")) {
            return false;
        }
        do {
            in.key();
            if (in.keyIs(END_ANNOTATION) && in.peek() == '"') {
                return "true".equals(in.string());
            }
            in.skipValue();
        } while (in.more('}'));
        return false;
    }

    /** The bytes of the line's {@code object} value, e.g. to wrap it in an event of another type. */
    static byte[] object(byte[] line) throws MalformedEventException {
        JsonScanner in = new JsonScanner(line, 0);
        if (in.enterObject("an event object")) {
            do {
                in.key();
                if (in.keyIs("object") && in.peek() == '{') {
                    int start = in.position();
                    in.skipValue();
                    return java.util.Arrays.copyOfRange(line, start, in.position());
                }
                in.skipValue();
            } while (in.more('}'));
        }
        throw new MalformedEventException("watch event has no \"object\"", null);
    }
}
