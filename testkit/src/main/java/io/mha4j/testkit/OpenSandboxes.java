package io.mha4j.testkit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxes ({@link SandboxCluster}s, {@link OpenSshServer}s) not yet closed, closed by one JVM
 * shutdown hook so a test run that forgets {@code close()} (or is interrupted with Ctrl-C)
 * leaves no server behind. SIGKILL of the JVM is the {@link StaleSandboxReaper}'s job.
 */
final class OpenSandboxes {

    private static final Logger log = LoggerFactory.getLogger(OpenSandboxes.class);
    private static final Set<AutoCloseable> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private OpenSandboxes() {}

    static void register(AutoCloseable sandbox) {
        installHook();
        OPEN.add(sandbox);
    }

    static void unregister(AutoCloseable sandbox) {
        OPEN.remove(sandbox);
    }

    private static synchronized void installHook() {
        if (hookInstalled) {
            return;
        }
        Thread hook = new Thread(OpenSandboxes::closeAll, "mha4j-sandbox-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        hookInstalled = true;
    }

    private static void closeAll() {
        for (AutoCloseable sandbox : Set.copyOf(OPEN)) {
            log.info("JVM exiting: closing {}", sandbox);
            try {
                sandbox.close();
            } catch (Exception e) {
                log.warn("Cannot close {} at exit: {}", sandbox, e.toString());
            }
        }
    }
}
