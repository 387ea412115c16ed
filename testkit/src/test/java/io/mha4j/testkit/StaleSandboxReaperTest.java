package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleSandboxReaperTest {

    @TempDir
    Path root;

    @Test
    void aDirectoryWhoseOwnerIsGoneIsDeleted() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path stale = Files.createDirectories(root.resolve("cluster-stale/node1/data"));
        new Owner(finished.pid(), finished.info().startInstant().or(() -> Optional.of(Instant.EPOCH)))
                .writeTo(root.resolve("cluster-stale"));

        StaleSandboxReaper.reap(root);

        assertThat(stale).doesNotExist();
        assertThat(root.resolve("cluster-stale")).doesNotExist();
    }

    @Test
    void aLiveOwnersDirectoryIsKept() throws Exception {
        Path mine = Files.createDirectories(root.resolve("cluster-mine"));
        Owner.current().writeTo(mine);

        StaleSandboxReaper.reap(root);

        assertThat(mine).exists();
    }

    @Test
    void aRecycledPidDoesNotKeepADirectoryAlive() throws Exception {
        Path recycled = Files.createDirectories(root.resolve("building-recycled"));
        new Owner(ProcessHandle.current().pid(), Optional.of(Instant.EPOCH)).writeTo(recycled);

        StaleSandboxReaper.reap(root);

        assertThat(recycled).doesNotExist();
    }

    @Test
    void directoriesWithoutOwnerAndTemplatesAreLeftAlone() throws Exception {
        Path starting = Files.createDirectories(root.resolve("cluster-just-created"));
        Path template = Files.createDirectories(root.resolve("template-0123456789abcdef"));

        StaleSandboxReaper.reap(root);

        assertThat(starting).exists();
        assertThat(template).exists();
    }
}
