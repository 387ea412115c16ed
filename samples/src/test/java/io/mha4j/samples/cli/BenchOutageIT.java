package io.mha4j.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.cli.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bench outage}, one trial per route that needs no network namespaces (the VIP's needs root
 * and its own IT, VipFailoverIT): the application's outage must be measured from outside and be
 * a real one — longer than the manager could possibly have needed to notice, since detection takes
 * at least a ping — with nothing lost and the survivors agreeing. Raw lines: {@code
 * target/bench-outage-it/}.
 */
class BenchOutageIT {

    @Test
    void theDataSourceAndHaproxyAreTimedByTheSameClient() throws IOException {
        Path out = Path.of("target/bench-outage-it").toAbsolutePath();
        if (Files.exists(out)) {
            try (var files = Files.walk(out)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }

        CommandRun run = CommandRun.of(
                Launcher::run, "bench", "outage", "--via=datasource,haproxy", "--trials=1", "--out=" + out);

        List<String> raw = Files.readAllLines(out.resolve("trials.tsv"));
        assertThat(raw).as(run.out() + run.err()).hasSize(3).first().isEqualTo(OutageResult.HEADER);
        for (String line : raw.subList(1, 3)) {
            String[] f = line.split("\t", -1);
            assertThat(f[10]).as(line).isEqualTo("ok");
            assertThat(Long.parseLong(f[4]))
                    .as("outage: the kill to the first acknowledged write after it, at least detection's wait")
                    .isBetween(100L, 60_000L);
            assertThat(f[5]).as(line).isIn("node2", "node3");
            assertThat(f[8]).as("lost").isEqualTo("0");
            assertThat(f[9]).isEqualTo("agree");
        }
        assertThat(raw.get(1)).contains("\tdatasource\t");
        assertThat(raw.get(2)).contains("\thaproxy\t");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    }
}
