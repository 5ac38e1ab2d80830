package io.kube2kafka.packaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code docker build} works from a clean checkout, proved without a Docker engine: the build stage's
 * files are copied exactly as the Dockerfile's COPY lines say (what .dockerignore excludes left out)
 * into an empty directory, and its last {@code RUN mvn ...} runs there offline. A module added to the
 * root pom but not copied (the bug that once broke every image build: bench was listed, not copied)
 * fails here. Every file the runtime stage takes from the build or the context must exist too.
 */
class DockerBuildContextTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theBuildStageBuildsFromWhatTheDockerfileCopies(@TempDir Path context) throws Exception {
        List<String> instructions = instructions(Files.readAllLines(ROOT.resolve("Dockerfile"), StandardCharsets.UTF_8));
        List<PathMatcher> ignored = dockerignore();
        String buildWorkdir = null;
        String mavenCommand = null;
        List<String> runtimeCopies = new ArrayList<>();
        int stage = 0;
        for (String instruction : instructions) {
            String[] words = instruction.trim().split("\\s+");
            switch (words[0].toUpperCase()) {
                case "FROM" -> stage++;
                case "WORKDIR" -> buildWorkdir = stage == 1 ? words[1] : buildWorkdir;
                case "RUN" -> {
                    if (stage == 1 && words[1].equals("mvn")) {
                        mavenCommand = instruction.trim().substring(3).trim();
                    }
                }
                case "COPY" -> {
                    List<String> args = Arrays.stream(words).skip(1).filter(w -> !w.startsWith("--chown") && !w.startsWith("--chmod")).toList();
                    if (args.get(0).startsWith("--from=")) {
                        runtimeCopies.add(args.get(1));
                    } else if (stage == 1) {
                        for (String source : args.subList(0, args.size() - 1)) {
                            copy(source, args.get(args.size() - 1), context, ignored);
                        }
                    } else {
                        assertTrue(Files.exists(ROOT.resolve(args.get(0))) && !isIgnored(args.get(0), ignored),
                                "the runtime stage copies " + args.get(0) + " from the context: it must be there");
                    }
                }
                default -> { }
            }
        }
        assertEquals("/src", buildWorkdir, "the build stage's WORKDIR, which the runtime stage's COPY --from paths assume");
        assertTrue(mavenCommand != null && mavenCommand.contains("package"), "the build stage runs mvn ... package: " + mavenCommand);

        // The same command, offline: the test's own build has already fetched every plugin and dependency.
        List<String> command = new ArrayList<>(List.of(mavenCommand.split("\\s+")));
        command.add(1, "-o");
        Path log = context.resolve("maven.log");
        Process maven = new ProcessBuilder(command).directory(context.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(maven.waitFor(10, TimeUnit.MINUTES), "mvn finished");
        assertEquals(0, maven.exitValue(), String.join(" ", command) + " in a copy of the Docker build context failed:\n"
                + Files.readString(log));
        for (String built : runtimeCopies) {
            Path inContext = context.resolve(Path.of(buildWorkdir).relativize(Path.of(built)).toString());
            assertTrue(Files.exists(inContext), "the runtime stage copies " + built + " from the build stage: it must be built");
        }
    }

    /** The Dockerfile's instructions, comments dropped and continuation lines joined. */
    private static List<String> instructions(List<String> lines) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                instructions.add(current.append(trimmed).toString());
                current.setLength(0);
            }
        }
        return instructions;
    }

    /** .dockerignore's patterns (Go filepath.Match syntax, plus **), as glob matchers on context-relative paths. */
    private static List<PathMatcher> dockerignore() throws IOException {
        Path file = ROOT.resolve(".dockerignore");
        List<PathMatcher> matchers = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String pattern = line.trim();
                if (pattern.isEmpty() || pattern.startsWith("#")) {
                    continue;
                }
                assertFalse(pattern.startsWith("!"), "this check does not implement .dockerignore exceptions (!): " + pattern);
                String glob = pattern.replaceAll("^/+|/+$", "");
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
                if (glob.startsWith("**/")) {
                    // Docker's ** also matches no directory at all; Java's glob needs one.
                    matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3)));
                }
            }
        }
        return matchers;
    }

    /** A path is ignored when it, or a directory it is in, matches a pattern. */
    private static boolean isIgnored(String relative, List<PathMatcher> ignored) {
        Path path = Path.of(relative).normalize();
        for (int i = 1; i <= path.getNameCount(); i++) {
            Path prefix = path.subpath(0, i);
            if (ignored.stream().anyMatch(m -> m.matches(prefix))) {
                return true;
            }
        }
        return false;
    }

    /** COPY semantics: a file goes into a directory destination (ending in /) under its name; a directory's contents are copied. */
    private static void copy(String source, String destination, Path context, List<PathMatcher> ignored) throws IOException {
        Path from = ROOT.resolve(source).normalize();
        assertTrue(Files.exists(from), "the Dockerfile copies " + source + ", which is not in the repository");
        Path to = context.resolve(destination).normalize();
        if (Files.isRegularFile(from)) {
            Path target = destination.endsWith("/") ? to.resolve(from.getFileName().toString()) : to;
            Files.createDirectories(target.getParent());
            Files.copy(from, target, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String relative = ROOT.relativize(file).toString();
                if (isIgnored(relative, ignored)) {
                    continue;
                }
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
