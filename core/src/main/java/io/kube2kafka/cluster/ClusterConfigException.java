package io.kube2kafka.cluster;

import java.io.IOException;

/**
 * The configuration that says how to reach the API server is wrong: a kubeconfig file, context or key,
 * a PEM file, an exec plugin's output. The message names the file, context and key, so the launcher
 * can print it as it is and exit with the configuration-error status.
 */
public final class ClusterConfigException extends IOException {
    public ClusterConfigException(String message) {
        super(message);
    }

    public ClusterConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
