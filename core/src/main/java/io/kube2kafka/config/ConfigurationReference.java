package io.kube2kafka.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;

/**
 * docs/configuration.md, generated from the one key table ({@link ConfigKeys#ALL}: name, type, doc)
 * and the defaults in reference.conf, so the reference can never disagree with what the bridge
 * accepts. ConfigurationReferenceTest fails when the committed file is out of date and says how to
 * regenerate it.
 */
public final class ConfigurationReference {

    private ConfigurationReference() {
    }

    public static String markdown() {
        Config defaults = ConfigFactory.defaultReference().getConfig("kube2kafka");
        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n")
                .append("<!-- Generated from config/ConfigKeys and reference.conf by ConfigurationReferenceTest: do not edit by hand.\n")
                .append("     Regenerate: mvn -B -o -pl core -am test -Dtest=ConfigurationReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dkube2kafka.regenerate=true -->\n\n")
                .append("Keys are under `kube2kafka` in HOCON (`config/example.conf` shows them in context). Every key can also be set\n")
                .append("from the environment: `KUBE2KAFKA_` + the key in upper case with `.` and `-` as `_`\n")
                .append("(`KUBE2KAFKA_KAFKA_BOOTSTRAP_SERVERS`). Durations take HOCON units (`30s`, `5m`), sizes byte units (`16MiB`).\n\n")
                .append("| key | type | default | description |\n")
                .append("| --- | --- | --- | --- |\n");
        for (ConfigKey key : ConfigKeys.ALL) {
            out.append("| `").append(key.name()).append("` | ").append(key.type().name().toLowerCase(java.util.Locale.ROOT))
                    .append(" | ").append(defaultOf(defaults, key.name())).append(" | ").append(cell(key.doc())).append(" |\n");
        }
        return out.toString();
    }

    private static String defaultOf(Config defaults, String key) {
        if (!defaults.hasPathOrNull(key)) {
            return "(none)";
        }
        if (defaults.getIsNull(key)) {
            return "null";
        }
        String rendered = defaults.getValue(key).render(ConfigRenderOptions.concise());
        return "`" + cell(rendered) + "`";
    }

    /** Text safe inside a Markdown table cell. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
