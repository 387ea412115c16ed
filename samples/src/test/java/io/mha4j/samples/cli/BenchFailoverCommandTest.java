package io.mha4j.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.cli.Mha4jCommand;
import io.mha4j.samples.cli.FailoverBenchSettings.Configuration;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** bench failover's options, read and checked without running anything. */
class BenchFailoverCommandTest {

    private static FailoverBenchSettings parse(String... args) {
        BenchFailoverCommand command = new BenchFailoverCommand();
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    @Test
    void byDefaultMha4jOverSshWithALeanShellOnThreeAndFiveNodesACleanKill() {
        FailoverBenchSettings s = parse();

        assertThat(s.tools()).containsExactly(BenchTool.MHA4J);
        assertThat(s.overSsh()).isTrue();
        assertThat(s.nodes()).containsExactly(3, 5);
        assertThat(s.tails()).containsExactly(0);
        assertThat(s.shells()).containsExactly(HostShell.LEAN);
        assertThat(s.pingInterval()).isEqualTo(1);
        assertThat(s.trials()).isEqualTo(10);
        assertThat(s.installMha()).isFalse();
        assertThat(s.out().getFileName().toString()).startsWith("mha4j-bench-failover-");
        assertThat(s.out()).isAbsolute();
    }

    @Test
    void everyListTakesSeveralValuesAndEachCombinationIsAConfiguration() {
        FailoverBenchSettings s = parse(
                "--tool=mha4j,mha",
                "--nodes=3,5",
                "--tail=0,1",
                "--login_shell=lean,slow,as-is",
                "--trials=2",
                "--ping_interval=3",
                "--out=/tmp/bench-x",
                "--install_mha",
                "--max_minutes=9");

        assertThat(s.tools()).containsExactly(BenchTool.MHA4J, BenchTool.MHA);
        assertThat(s.shells()).containsExactly(HostShell.LEAN, HostShell.SLOW, HostShell.AS_IS);
        assertThat(s.configurations())
                .hasSize(2 * 2 * 3)
                .startsWith(
                        new Configuration(3, 0, Optional.of(HostShell.LEAN)),
                        new Configuration(3, 0, Optional.of(HostShell.SLOW)))
                .endsWith(new Configuration(5, 1, Optional.of(HostShell.AS_IS)));
        assertThat(s.totalTrials()).isEqualTo(12 * 2 * 2);
        assertThat(s.pingInterval()).isEqualTo(3);
        assertThat(s.out()).isEqualTo(Path.of("/tmp/bench-x"));
        assertThat(s.installMha()).isTrue();
        assertThat(s.maxMinutes()).isEqualTo(9);
    }

    @Test
    void theLoginShellsAreLeanSlowAndTheUsersOwn() {
        assertThat(HostShell.AS_IS.userHome).isTrue();
        assertThat(HostShell.LEAN.userHome).isFalse();
        assertThat(HostShell.SLOW.loginShell).isEqualTo(io.mha4j.testkit.LoginShell.SLOW);
    }

    @Test
    void withoutSshThereIsNoLoginShellToVary() {
        FailoverBenchSettings s = parse("--remote_shell=local", "--nodes=3", "--login_shell=lean,slow");

        assertThat(s.overSsh()).isFalse();
        assertThat(s.configurations()).containsExactly(new Configuration(3, 0, Optional.empty()));
        assertThat(s.configurations().get(0).shellLabel()).isEqualTo("-");
    }

    @Test
    void badValuesAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> parse("--tool=orchestrator")).hasMessageContaining("--tool");
        assertThatThrownBy(() -> parse("--login_shell=fast")).hasMessageContaining("--login_shell");
        assertThatThrownBy(() -> parse("--remote_shell=rsh")).hasMessageContaining("--remote_shell");
        assertThatThrownBy(() -> parse("--nodes=2")).hasMessageContaining("--nodes");
        assertThatThrownBy(() -> parse("--tail=-1")).hasMessageContaining("--tail");
        assertThatThrownBy(() -> parse("--trials=0")).hasMessageContaining("--trials");
        assertThatThrownBy(() -> parse("--tool=mha4j,mha4j")).hasMessageContaining("twice");
        assertThatThrownBy(() -> parse("--binlog_mb=2000")).hasMessageContaining("--binlog_mb");
    }

    @Test
    void theMastersBinaryLogIsFilledOnlyWhenAsked() {
        assertThat(parse().binlogMb()).isZero();
        assertThat(parse("--binlog_mb=100").binlogMb()).isEqualTo(100);
    }

    @Test
    void mhaAlwaysRunsItsNodeToolsOverSshSoLocalIsForMha4jOnly() {
        assertThatThrownBy(() -> parse("--tool=mha", "--remote_shell=local"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mha4j only");
    }

    @Test
    void itIsABenchSubcommand() {
        CommandLine cli = Mha4jCommand.commandLine().addSubcommand(new BenchCommand());

        assertThat(cli.getSubcommands().get("bench").getSubcommands()).containsKey("failover");
        assertThat(List.of(cli.getSubcommands()
                        .get("bench")
                        .getSubcommands()
                        .get("failover")
                        .getCommandSpec()
                        .optionsMap()
                        .keySet()
                        .toArray()))
                .contains(
                        "--tool",
                        "--tail",
                        "--login_shell",
                        "--out",
                        "--ping_interval",
                        "--remote_shell",
                        "--install_mha");
    }
}
