package io.kube2kafka.config;

import java.util.List;

/**
 * The {@code output} block.
 *
 * @param dropPaths JSON Pointers removed from every object; empty for none
 */
public record OutputSettings(boolean tombstones, boolean dropManagedFields, boolean redactSecrets, boolean failOnOversized,
                             List<String> dropPaths) {
}
