package io.kube2kafka.cluster;

import java.time.Duration;

/**
 * The {@code kubernetes} block of the configuration: how the user asked to reach the API server.
 * Empty strings mean "not set".
 *
 * @param execTimeout how long one run of a kubeconfig exec credential plugin may take before it is killed
 * @param http2 whether HTTP/2 may be negotiated (ALPN); false forces HTTP/1.1, as does $DISABLE_HTTP2
 */
public record ConnectionSettings(String kubeconfig, String context, String url, String token, String tokenFile,
                                 String caFile, boolean insecureSkipTlsVerify, Duration execTimeout, boolean http2) {
    /** {@code kubernetes.exec-timeout}'s default; see ConfigKeys.EXEC_TIMEOUT_DOC for why. */
    public static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofSeconds(30);

    /** With the default exec plugin timeout, HTTP/2 allowed. */
    public ConnectionSettings(String kubeconfig, String context, String url, String token, String tokenFile,
                              String caFile, boolean insecureSkipTlsVerify) {
        this(kubeconfig, context, url, token, tokenFile, caFile, insecureSkipTlsVerify, DEFAULT_EXEC_TIMEOUT, true);
    }

    /** HTTP/2 allowed. */
    public ConnectionSettings(String kubeconfig, String context, String url, String token, String tokenFile,
                              String caFile, boolean insecureSkipTlsVerify, Duration execTimeout) {
        this(kubeconfig, context, url, token, tokenFile, caFile, insecureSkipTlsVerify, execTimeout, true);
    }

    /** With the default exec plugin timeout. */
    public ConnectionSettings(String kubeconfig, String context, String url, String token, String tokenFile,
                              String caFile, boolean insecureSkipTlsVerify, boolean http2) {
        this(kubeconfig, context, url, token, tokenFile, caFile, insecureSkipTlsVerify, DEFAULT_EXEC_TIMEOUT, http2);
    }
}
