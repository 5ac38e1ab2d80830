package io.kube2kafka.watch;

/**
 * Where a watch starts: from a stored resourceVersion, or with a list, and if so why.
 *
 * @param resourceVersion where the watch resumes; null when it lists first
 * @param storedResourceVersion the resume point found in storage, even when it is not used (another
 *     cluster answers under the same name); null when there was none
 * @param listCause why the first list is made; meaningless when {@code resourceVersion} is set
 */
public record ResumePoint(String resourceVersion, String storedResourceVersion, ListCause listCause) {

    /** Resume from {@code resourceVersion}, or list on a first start when it is null. */
    public static ResumePoint of(String resourceVersion) {
        return new ResumePoint(resourceVersion, resourceVersion, ListCause.FIRST_START);
    }

    public boolean resumes() {
        return resourceVersion != null;
    }
}
