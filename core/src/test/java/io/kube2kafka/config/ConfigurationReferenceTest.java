package io.kube2kafka.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/configuration.md is what ConfigKeys and reference.conf say, key for key. */
class ConfigurationReferenceTest {
    private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");

    @Test
    void theReferenceMatchesTheKeyTable() throws Exception {
        String generated = ConfigurationReference.markdown();
        if (Boolean.getBoolean("kube2kafka.regenerate")) {
            Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(REFERENCE) ? Files.readString(REFERENCE, StandardCharsets.UTF_8) : "";
        assertEquals(generated, committed, "docs/configuration.md is out of date with ConfigKeys/reference.conf; regenerate it with\n"
                + "  mvn -B -o -pl core -am test -Dtest=ConfigurationReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dkube2kafka.regenerate=true\n");
        for (ConfigKey key : ConfigKeys.ALL) {
            assertTrue(committed.contains("| `" + key.name() + "` |"), key.name() + " is in the reference");
        }
    }
}
