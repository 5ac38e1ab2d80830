package io.kube2kafka.cli;

import io.kube2kafka.config.BuildVersion;
import io.kube2kafka.config.ConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./kube2kafka} command line. Exit status: 0 clean stop, 2 configuration error, 1 anything else. */
// scope INHERIT: every subcommand gets --help and --version too (`./kube2kafka run --help` was "Unknown option").
@Command(name = "kube2kafka", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = Main.Version.class,
        description = "Streams Kubernetes objects into Kafka: list, watch, resume; exactly once.",
        subcommands = {RunCommand.class, CheckCommand.class, CheckpointsCommand.class, TailCommand.class,
                SignalCommand.class, ConnectPluginCommand.class},
        // The launcher runs the benchmark from its own module (JMH and all), so it is no subcommand here.
        footer = {"  bench           The benchmark: firehose, latency, first list, decode cost",
                "                    (./kube2kafka bench --help; docs/benchmark.md)."})
public final class Main implements Runnable {

    public static final int CONFIGURATION_ERROR = 2;

    /** --version: the build's version, from the pom (BuildVersion), never written here by hand. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"kube2kafka " + BuildVersion.get()};
        }
    }
    public static final int FATAL_ERROR = 1;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with its error handling: a bad option or an invalid configuration is printed
     * and exits 2, whichever command found it.
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("kube2kafka: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return CONFIGURATION_ERROR;
        });
        commandLine.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof ConfigurationException) {
                command.getErr().println("kube2kafka: " + e.getMessage());
                command.getErr().flush();
                return CONFIGURATION_ERROR;
            }
            throw e;
        });
        return commandLine;
    }
}
