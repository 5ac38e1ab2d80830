package io.kube2kafka.config;

import java.util.List;

/**
 * One entry of {@code resources}.
 *
 * @param namespaces empty for all namespaces
 */
public record ResourceSpec(String resource, List<String> namespaces, String labelSelector, String fieldSelector) {
}
