package io.kube2kafka.cli.check;

/**
 * One line of {@code check}: an item that passed, with what was found, or an item that failed, with
 * the problem and its fix.
 *
 * @param detail what was found when the item passed, the problem when it failed
 * @param fix how to fix a failed item; empty when it passed
 * @param configurationProblem the failure lies in the configuration itself (a bad key, an unusable
 *     kubeconfig, a resource the server does not serve), which {@code check} reports with its own exit status
 */
public record CheckLine(String item, boolean passed, String detail, String fix, boolean configurationProblem) {

    public static CheckLine ok(String item, String detail) {
        return new CheckLine(item, true, detail, "", false);
    }

    public static CheckLine fail(String item, String problem, String fix) {
        return new CheckLine(item, false, problem, fix, false);
    }

    /** A failure the configuration causes, rather than the cluster, the network or the brokers. */
    public static CheckLine configurationFail(String item, String problem, String fix) {
        return new CheckLine(item, false, problem, fix, true);
    }

    /** The same line with {@code prefix} (e.g. "cluster b: ") before its item. */
    public CheckLine withItemPrefix(String prefix) {
        return new CheckLine(prefix + item, passed, detail, fix, configurationProblem);
    }
}
