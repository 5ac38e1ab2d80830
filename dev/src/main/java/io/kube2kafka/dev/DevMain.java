package io.kube2kafka.dev;

import io.kube2kafka.cli.Main;
import picocli.CommandLine;

/**
 * `./kube2kafka` in a source checkout: the production command line plus `demo`. `run` without
 * kafka.bootstrap-servers finds the embedded broker through {@link EmbeddedLocalKafka}, which only
 * this module registers, so the production runtime never carries a broker.
 */
public final class DevMain {
    private DevMain() {
    }

    public static void main(String[] args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.addSubcommand("demo", new DemoCommand());
        System.exit(commandLine.execute(args));
    }
}
