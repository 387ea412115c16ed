package io.mha4j.samples.cli;

/** The failover managers {@code bench failover} can time on the same sandbox with the same outside client. */
enum BenchTool {
    /** mha4j's manager as users run it: the {@code Supervisor} with the default options, in this JVM. */
    MHA4J("mha4j"),
    /** MHA 0.58's {@code masterha_manager} (Debian's {@code mha4mysql-manager}), a process of its own. */
    MHA("mha");

    final String label;

    BenchTool(String label) {
        this.label = label;
    }

    static BenchTool parse(String s) {
        return Labels.parse(values(), c -> c.label, s, "--tool");
    }
}
