package io.kube2kafka.sim;

/** A snapshot of a whole simulated cluster, taken by {@link SimulatedApiServer#backup()}; opaque to callers. */
public final class ClusterBackup {
  private final ClusterState.Backup state;

  ClusterBackup(ClusterState.Backup state) {
    this.state = state;
  }

  ClusterState.Backup state() {
    return state;
  }

  /** The resourceVersion the cluster had when the backup was taken. */
  public String resourceVersion() {
    return Long.toString(state.resourceVersion());
  }
}
