package io.kube2kafka.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Supplier;

/**
 * A bearer token read from a file and read again whenever the file changes: projected
 * service-account tokens are rotated about hourly, and open watches must keep working.
 */
public final class TokenFile implements Supplier<String> {
    private final Path path;
    private final String what;
    private FileTime readAt;
    private String token;

    public TokenFile(Path path) {
        this(path, "kubernetes.token-file " + path);
    }

    /** @param what names the file in errors, e.g. {@code kubeconfig /x: user "u": tokenFile /t} */
    public TokenFile(Path path, String what) {
        this.path = path;
        this.what = what;
    }

    @Override
    public synchronized String get() {
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            if (token == null || !modified.equals(readAt)) {
                token = Files.readString(path, StandardCharsets.UTF_8).trim();
                readAt = modified;
            }
            return token;
        } catch (IOException e) {
            if (token != null) {
                // Kubelet swaps the file through a symlink; a read between the two steps can fail, so keep the last token.
                return token;
            }
            throw new UncheckedIOException("cannot read " + what, e);
        }
    }
}
