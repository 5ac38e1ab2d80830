package io.kube2kafka.sim;

/** One change the simulated cluster made: ADDED, MODIFIED or DELETED of the object with this uid. */
public record Change(String type, String uid, String resourceVersion) {}
