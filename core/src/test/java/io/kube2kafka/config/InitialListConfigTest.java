package io.kube2kafka.config;

import com.typesafe.config.ConfigFactory;
import io.kube2kafka.watch.InitialList;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** watch.initial-list: auto by default, each value as written, and a mistake named with the values allowed. */
class InitialListConfigTest {
    private static final String BASE = "kube2kafka { cluster = solo, kubernetes.url = \"http://127.0.0.1:1\", resources = [pods] %s }";

    private static BridgeSettings load(String extra) throws ConfigurationException {
        return new SettingsLoader(Map.of()).from(ConfigFactory.parseString(String.format(BASE, extra)), new ArrayList<>());
    }

    @Test
    void autoIsTheDefaultAndEachValueIsTakenAsWritten() throws Exception {
        assertEquals(InitialList.AUTO, load("").watch().initialList());
        assertEquals(InitialList.WATCH_LIST, load(", watch.initial-list = watch-list").watch().initialList());
        assertEquals(InitialList.PAGINATED, load(", watch.initial-list = paginated").watch().initialList());
    }

    @Test
    void anUnknownValueIsReportedWithTheKeyAndTheValuesAllowed() {
        List<String> problems = assertThrows(ConfigurationException.class, () -> load(", watch.initial-list = streaming")).problems();
        assertEquals(List.of("watch.initial-list=\"streaming\": must be one of auto, watch-list, paginated"), problems);
    }
}
