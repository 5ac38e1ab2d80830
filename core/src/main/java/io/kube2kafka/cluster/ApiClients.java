package io.kube2kafka.cluster;

import io.kube2kafka.watch.ApiClient;
import io.kube2kafka.watch.WatchSettings;

import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * The one way the bridge, Connect, {@code check} and the benchmarks build an {@link ApiClient}: the
 * connection resolved as kubectl would ({@link ConnectionResolver}, from the real environment and home
 * directory), with the watch settings' idle timeout and ping interval.
 */
public final class ApiClients {
    private ApiClients() {
    }

    /**
     * @throws ClusterConfigException when the configuration or kubeconfig does not describe a usable connection
     */
    public static ApiClient forCluster(ConnectionSettings connection, WatchSettings watch)
            throws IOException, GeneralSecurityException {
        return new ApiClient(new ConnectionResolver().resolve(connection), watch);
    }
}
