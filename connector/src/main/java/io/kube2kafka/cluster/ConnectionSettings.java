package io.kube2kafka.cluster;

/**
 * The {@code kubernetes} block of the configuration: how the user asked to reach the API server.
 * Empty strings mean "not set".
 *
 * @param http2 whether HTTP/2 may be negotiated (ALPN); false forces HTTP/1.1, as does $DISABLE_HTTP2
 */
public record ConnectionSettings(String kubeconfig, String context, String url, String token, String tokenFile,
                                 String caFile, boolean insecureSkipTlsVerify, boolean http2) {

    /** HTTP/2 allowed, the default. */
    public ConnectionSettings(String kubeconfig, String context, String url, String token, String tokenFile,
                              String caFile, boolean insecureSkipTlsVerify) {
        this(kubeconfig, context, url, token, tokenFile, caFile, insecureSkipTlsVerify, true);
    }
}
