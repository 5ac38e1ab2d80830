package io.kube2kafka.sim;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The knobs a test may turn while the server runs; each read sees the latest value. */
final class ServerSettings {
  volatile String token;
  /**
   * Client certificates a request may authenticate with, checked per request as the API server's x509
   * authenticator does; null leaves client certificates to the TLS layer.
   */
  volatile Set<X509Certificate> acceptedClientCertificates;
  volatile Chunking chunking;
  volatile EventFlushListener flushListener = EventFlushListener.NONE;
  /** The WatchList feature gate: off, a watch with sendInitialEvents answers 422 Invalid. */
  volatile boolean watchList = true;
  /** Aggregated discovery (GA in 1.30): off, /api and /apis answer only the legacy documents, as before 1.26. */
  volatile boolean aggregatedDiscovery = true;
  /**
   * How long a read at a resourceVersion the server has not reached waits for it before it is refused
   * as too large: the watch cache's blockTimeout, 3 s.
   */
  final Duration tooLargeWait;
  final Duration bookmarkInterval;
  final ExpiredWatchMode expiredWatch;
  final String userName;
  /** Whether authorization.k8s.io (SelfSubjectAccessReviews) is served, as on every real API server. */
  final boolean accessReviews;
  /** Qualified resource names ("pods", "deployments.apps") whose reads answer 403. */
  final Set<String> forbidden = ConcurrentHashMap.newKeySet();

  ServerSettings(String token, Chunking chunking, Duration bookmarkInterval, ExpiredWatchMode expiredWatch, String userName,
      boolean accessReviews, Duration tooLargeWait) {
    this.tooLargeWait = tooLargeWait;
    this.token = token;
    this.chunking = chunking;
    this.bookmarkInterval = bookmarkInterval;
    this.expiredWatch = expiredWatch;
    this.userName = userName;
    this.accessReviews = accessReviews;
  }
}
