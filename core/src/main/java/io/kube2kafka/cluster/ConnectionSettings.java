package io.kube2kafka.cluster;

/**
 * The {@code kubernetes} block of the configuration: how the user asked to reach the API server.
 * Empty strings mean "not set".
 */
public record ConnectionSettings(String kubeconfig, String context, String url, String token, String tokenFile,
                                 String caFile, boolean insecureSkipTlsVerify) {
}
