package io.mha4j.samples.cli;

/** How the application of {@code bench outage} reaches the master. */
enum OutageRoute {
    /** mha4j-datasource's {@code writer()}: a pool per server following the manager in the same JVM. */
    DATASOURCE("datasource"),
    /** Debian's HAProxy, its write port checking the manager's {@code /master/<block>} endpoints. */
    HAPROXY("haproxy"),
    /** A virtual IP the {@code vip} hook moves, hosts in network namespaces of their own, one port on each. */
    VIP("vip");

    final String label;

    OutageRoute(String label) {
        this.label = label;
    }

    static OutageRoute parse(String s) {
        return Labels.parse(values(), c -> c.label, s, "--via");
    }
}
