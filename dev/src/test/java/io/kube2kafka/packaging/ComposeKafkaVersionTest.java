package io.kube2kafka.packaging;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The broker {@code docker compose up} starts runs the Kafka release the bridge is built and tested
 * against, so what the suite proves with the embedded broker is what compose users run. Apache
 * publishes an {@code apache/kafka:<version>} image with every release since 3.7.0 (Kafka's "Docker"
 * getting-started page). The root pom's {@code kafka.version} is the one place the release is chosen;
 * surefire hands it to this test, which keeps the compose file from drifting behind it again, as it once stayed at 4.1.1 after the
 * build moved to 4.4.0.
 */
class ComposeKafkaVersionTest {
    private static final Path COMPOSE = Path.of("..", "docker-compose.yml").toAbsolutePath().normalize();
    private static final Pattern KAFKA_IMAGE = Pattern.compile("^\\s*image:\\s*apache/kafka:(\\S+)\\s*$");

    @Test
    void composeRunsTheKafkaReleaseTheBuildUses() throws Exception {
        List<String> tags = Files.readAllLines(COMPOSE, StandardCharsets.UTF_8).stream()
                .map(KAFKA_IMAGE::matcher).filter(Matcher::matches).map(m -> m.group(1)).toList();
        String release = System.getProperty("kube2kafka.kafka-version");
        assertFalse(release == null || release.isBlank(), "surefire passes kafka.version from the root pom");
        assertEquals(List.of(release), tags,
                "docker-compose.yml's apache/kafka image tag must be the Kafka release of the build (kafka.version in the root pom)");
    }
}
