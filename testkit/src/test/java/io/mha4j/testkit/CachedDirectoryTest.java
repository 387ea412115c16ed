package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache's bound: what building a new directory prunes, and what it never touches. */
class CachedDirectoryTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @TempDir
    Path root;

    @Test
    void keepsTheMostRecentlyUsedOfItsKindAndPrunesTheRest() throws IOException {
        Path kept = dir("template-new", Duration.ZERO);
        dir("template-a", Duration.ofHours(2));
        dir("template-b", Duration.ofHours(3));
        dir("template-c", Duration.ofHours(4));
        dir("template-d", Duration.ofHours(5));
        dir("dist-x", Duration.ofDays(3));

        CachedDirectory.prune(root, kept, 3, NOW);

        assertThat(names()).containsExactlyInAnyOrder("template-new", "template-a", "template-b", "dist-x");
    }

    @Test
    void neverPrunesOneUsedWithinTheHourNorKeepsOneIdleForAWeek() throws IOException {
        Path kept = dir("dist-new", Duration.ZERO);
        dir("dist-busy", Duration.ofMinutes(30));
        dir("dist-also-busy", Duration.ofMinutes(40));
        dir("dist-old", Duration.ofDays(CachedDirectory.MAX_IDLE_DAYS + 1));

        CachedDirectory.prune(root, kept, 8, NOW);

        assertThat(names())
                .as("within the count, but a week idle: pruned; over the count, but in use: kept")
                .containsExactlyInAnyOrder("dist-new", "dist-busy", "dist-also-busy");
        CachedDirectory.prune(root, kept, 2, NOW);
        assertThat(names()).containsExactlyInAnyOrder("dist-new", "dist-busy", "dist-also-busy");
    }

    @Test
    void usingACachedDirectoryMarksItUsedAndBuildsNothing() throws IOException {
        Path cached = dir("template-cached", Duration.ofDays(3));
        Instant before = Instant.now().minusSeconds(5);

        Path got = CachedDirectory.obtain(root, cached, "template datadir", 8, work -> {
            throw new AssertionError("a cached directory is not built again");
        });

        assertThat(got).isEqualTo(cached);
        assertThat(Files.getLastModifiedTime(cached).toInstant()).isAfter(before);
    }

    @Test
    void buildingANewOnePrunesItsKind() throws IOException {
        // obtain() prunes as of the real clock: ages relative to it.
        dir("template-a", Duration.ofDays(1), Instant.now());
        dir("template-b", Duration.ofDays(2), Instant.now());

        Path made = CachedDirectory.obtain(
                root,
                root.resolve("template-c"),
                "template datadir",
                2,
                work -> Files.createDirectory(work.resolve("data")));

        assertThat(made).isDirectory();
        assertThat(names())
                .as("the new one and the most recent other; no building-* left behind")
                .containsExactlyInAnyOrder("template-c", "template-a");
    }

    private Path dir(String name, Duration idle) throws IOException {
        return dir(name, idle, NOW);
    }

    private Path dir(String name, Duration idle, Instant now) throws IOException {
        Path d = Files.createDirectory(root.resolve(name));
        Files.writeString(d.resolve("file"), name);
        Files.setLastModifiedTime(d, FileTime.from(now.minus(idle)));
        return d;
    }

    private java.util.List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
