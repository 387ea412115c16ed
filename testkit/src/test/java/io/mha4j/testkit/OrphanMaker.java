package io.mha4j.testkit;

/**
 * Run in a child JVM by {@link SandboxLifecycleIT}: starts a sandbox, prints its directory
 * and server pid, and waits to be killed with SIGKILL, leaving an orphaned server behind.
 */
public final class OrphanMaker {

    private OrphanMaker() {
    }

    public static void main(String[] args) throws Exception {
        SandboxCluster cluster = SandboxCluster.builder().nodes(1).start();
        System.out.println("SANDBOX " + cluster.directory() + " " + cluster.node(1).pid());
        System.out.flush();
        System.in.read();
    }
}
