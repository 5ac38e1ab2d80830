package io.kube2kafka.config;

/** The {@code output} block. */
public record OutputSettings(boolean tombstones, boolean dropManagedFields, boolean redactSecrets, boolean failOnOversized) {
}
