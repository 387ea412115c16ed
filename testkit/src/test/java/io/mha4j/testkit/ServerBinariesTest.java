package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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
                .isInstanceOf(SandboxException.class).hasMessageStartingWith(ServerBinaries.NOT_FOUND);
    }

    @Test
    void aPathWithoutAServerSaysWhatToInstall() {
        assertThatThrownBy(() -> ServerBinaries.locate(Map.of("PATH", empty.toString()), List.of()))
                .isInstanceOf(SandboxException.class)
                .hasMessageStartingWith(ServerBinaries.NOT_FOUND)
                .hasMessageContaining("Searched PATH");
    }
}
