package io.kube2kafka.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A bearer token read from a file and read again whenever the file changes: projected
 * service-account tokens are rotated about hourly, and open watches must keep working.
 * The file is read on every request rather than when its modification time moves: file times
 * tick in jiffies on Linux, so a rewrite soon after a read could go unseen, and one small read
 * costs nothing next to the HTTP request it authorises.
 */
public final class TokenFile implements Supplier<String> {
    private final Path path;
    private final String what;
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
            String read = Files.readString(path, StandardCharsets.UTF_8).trim();
            if (!read.isEmpty()) {
                token = read;
            }
        } catch (IOException e) {
            if (token == null) {
                throw new UncheckedIOException("cannot read " + what, e);
            }
            // Kubelet swaps the file through a symlink; a read between the two steps can fail, so keep the last token.
        }
        if (token == null) {
            throw new UncheckedIOException(new IOException(what + " is empty"));
        }
        return token;
    }
}
