package io.kube2kafka.config;

import java.util.List;

/**
 * One entry of {@code resources}.
 *
 * @param namespaces empty for all namespaces
 */
public record ResourceSpec(String resource, List<String> namespaces, String labelSelector, String fieldSelector) {
    /** The resource name that means every resource discovery lists with the list and watch verbs. */
    public static final String EVERY_RESOURCE = "*";

    /** Whether this entry is {@code "*"}: the whole cluster, minus {@code exclude}. */
    public boolean everyResource() {
        return EVERY_RESOURCE.equals(resource);
    }
}
