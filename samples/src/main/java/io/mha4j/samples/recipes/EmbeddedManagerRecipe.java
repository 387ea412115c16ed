package io.mha4j.samples.recipes;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.manager.ManagerEvent;
import io.mha4j.manager.MhaManager;
import io.mha4j.testkit.SandboxCluster;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Recipe: the whole manager inside an application. It is not told which server is the master;
 * it finds it, monitors it, and when it is killed fails over and tells the application — with the
 * new master as a {@link ServerConfig} — where writes go now. The same code runs in a Spring bean
 * ({@code start()} in its factory method, {@code close()} as its destroy method) or in a
 * {@code main}.
 */
public final class EmbeddedManagerRecipe {
    private EmbeddedManagerRecipe() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(System.out).exitCode());
    }

    /** Runs the recipe on a sandbox of three servers; returns the manager's last event. */
    public static ManagerEvent.Stopped run(PrintStream out) throws Exception {
        Path workdir = Files.createTempDirectory("mha4j-recipe");
        try (SandboxCluster cluster =
                SandboxCluster.builder().nodes(3).startsReadOnly(false).start()) {
            ApplicationConfig.Builder config = SandboxApplication.of("orders", cluster);
            CompletableFuture<ServerConfig> newMaster = new CompletableFuture<>();
            MhaManager manager = MhaManager.builder(config.build())
                    .workdir(workdir)
                    .listener(event -> {
                        out.println("event: " + event);
                        if (event instanceof ManagerEvent.MasterChanged changed) {
                            // Where an application would repoint its writer.
                            newMaster.complete(changed.newMaster());
                        }
                    })
                    .build();
            try {
                manager.start();
                ServerConfig master = manager.awaitMonitoring(Duration.ofSeconds(60));
                out.println("The manager found the master: " + master.block() + " " + master.displayName());
                cluster.node(1).kill();
                ServerConfig next = newMaster.get(60, TimeUnit.SECONDS);
                out.println("Writes go to " + next.block() + " at " + next.address() + ":" + next.port() + " now");
            } finally {
                manager.close();
            }
            return manager.termination().join();
        }
    }
}
