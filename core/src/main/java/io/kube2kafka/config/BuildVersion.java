package io.kube2kafka.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this build, as Maven stamped it into {@code io/kube2kafka/version.properties}
 * (a filtered resource): the pom is the only place a version is written by hand.
 */
public final class BuildVersion {
    private static final String RESOURCE = "/io/kube2kafka/version.properties";

    private BuildVersion() {
    }

    /** e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String get() {
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath: build with Maven");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (version.isEmpty() || version.contains("${")) {
                throw new IllegalStateException(RESOURCE + " was not filtered by Maven: " + version);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
