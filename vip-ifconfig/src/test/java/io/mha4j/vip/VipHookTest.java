package io.mha4j.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.Mha4jException;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverContext;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteFile;
import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.RemoteShells;
import io.mha4j.remote.SshTarget;
import io.mha4j.spi.RemoteShellProvider;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The VIP hook's commands per host and style, against a recording fake of the hosts' shells. */
class VipHookTest {
    /** Hosts that hold addresses: "ip addr" commands change them, "show" lists them. */
    private final Map<String, List<String>> addresses = new HashMap<>();

    private final List<String> log = new ArrayList<>();

    private final class FakeShell implements RemoteShell {
        private final String host;

        FakeShell(String host) {
            this.host = host;
        }

        @Override
        public String target() {
            return host;
        }

        @Override
        public CommandResult run(RemoteCommand command, Duration timeout) {
            List<String> argv = command.argv();
            log.add(host + ": " + String.join(" ", argv));
            if (argv.size() > 5 && argv.get(2).equals(VipCommands.SILENCE_THEN)) {
                log.add(host + ": silenced " + argv.get(4));
                argv = argv.subList(5, argv.size());
            }
            List<String> held = addresses.computeIfAbsent(host, h -> new ArrayList<>());
            if (argv.subList(0, 2).equals(List.of("ip", "addr"))) {
                String a = argv.get(3).replace("/32", "");
                if (argv.get(2).equals("add")) {
                    held.add(a);
                } else if (!held.remove(a)) {
                    return new CommandResult(
                            2, "", "RTNETLINK answers: Cannot assign requested address", Duration.ZERO);
                }
                return new CommandResult(0, "", "", Duration.ZERO);
            }
            if (argv.get(0).equals("ip") && argv.contains("show")) {
                StringBuilder out = new StringBuilder();
                held.forEach(a -> out.append("2: eth0    inet ").append(a).append("/32 scope global eth0:1\n"));
                return new CommandResult(0, out.toString(), "", Duration.ZERO);
            }
            return new CommandResult(argv.get(0).equals("sh") ? 0 : 127, "", "", Duration.ZERO);
        }

        @Override
        public InputStream read(String path, long offset) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void write(String path, InputStream content) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<RemoteFile> stat(String path) {
            return Optional.empty();
        }

        @Override
        public void close() {}
    }

    private FailoverContext context(UnaryOperator<ApplicationConfig.Builder> extra, boolean elected) {
        ApplicationConfig config = extra.apply(ApplicationConfig.builder("app1")
                        .user("mha")
                        .password("pw")
                        .set(VipParameters.VIP, "10.0.0.55")
                        .server("server1", s -> s.hostname("db1"))
                        .server("server2", s -> s.hostname("db2")))
                .build();
        RemoteShells shells = new RemoteShells(new RemoteShellProvider() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public RemoteShell create(ServerConfig host) {
                SshTarget target = SshTarget.of(host);
                return new FakeShell(target.host());
            }
        });
        FailoverContext c =
                new FailoverContext(config, config.servers().get(0), Optional.empty(), shells, Path.of("/tmp"));
        return elected ? c.withNewMaster(config.servers().get(1)) : c;
    }

    @Test
    void theVipLeavesTheDeadMastersHostAndArrivesOnTheNewMastersWithGratuitousArp() {
        addresses.put("db1", new ArrayList<>(List.of("10.0.0.55")));
        VipHook hook = new VipHook();
        hook.isolate(context(b -> b, false), true);
        hook.activate(context(b -> b, true));

        assertThat(addresses.get("db1")).isEmpty();
        assertThat(addresses.get("db2")).containsExactly("10.0.0.55");
        assertThat(log)
                .containsSubsequence(
                        "db1: silenced arping -q -U -c 3 -I eth0 10\\.0\\.0\\.55",
                        "db2: ip addr add 10.0.0.55/32 dev eth0 label eth0:1",
                        "db2: sh -c exec >/dev/null 2>&1 </dev/null; arping -q -U -c 3 -I eth0 10.0.0.55 &");
        hook.status(
                context(b -> b, true), context(b -> b, true).config().servers().get(1));
    }

    @Test
    void theAnnouncementIsMatchedExactlyEvenWithRegexCharactersInIt() {
        assertThat(VipCommands.exactly("/opt/arping+ -I eth0 10.0.0.55"))
                .isEqualTo("/opt/arping\\+ -I eth0 10\\.0\\.0\\.55");
        assertThat("/opt/arping+ -I eth0 10.0.0.55").matches(VipCommands.exactly("/opt/arping+ -I eth0 10.0.0.55"));
        assertThat("/opt/arping+ -I eth0 10x0.0.55")
                .doesNotMatch(VipCommands.exactly("/opt/arping+ -I eth0 10.0.0.55"));
    }

    @Test
    void anUnreachableDeadHostIsLeftAloneAndAVipAlreadyGoneIsFine() {
        VipHook hook = new VipHook();
        hook.isolate(context(b -> b, false), false);
        assertThat(log).isEmpty();
        hook.isolate(context(b -> b, false), true);
        assertThat(log).containsExactly("db1: ip -o -4 addr show dev eth0");
    }

    @Test
    void theTutorialsIfconfigStyleAndTheStatusCheck() {
        VipCommands c = VipCommands.of(
                context(
                                b -> b.set(VipParameters.VIP_COMMAND_STYLE, "ifconfig")
                                        .set(VipParameters.VIP_ARPING, ""),
                                false)
                        .config(),
                context(b -> b, false).config().servers().get(0));
        assertThat(c.add().argv())
                .containsExactly("ifconfig", "eth0:1", "10.0.0.55", "netmask", "255.255.255.255", "up");
        assertThat(c.remove().argv()).containsExactly("ifconfig", "eth0:1", "down");
        assertThat(c.announce()).isEmpty();
        assertThat(c.shownIn("eth0:1: flags=4163<UP>  mtu 1500\n        inet 10.0.0.55  netmask 255.255.255.255"))
                .isTrue();
        assertThat(c.shownIn("inet 10.0.0.5  netmask")).isFalse();

        assertThatThrownBy(() -> new VipHook()
                        .status(
                                context(b -> b, false),
                                context(b -> b, false).config().servers().get(0)))
                .isInstanceOf(Mha4jException.class)
                .hasMessageContaining("10.0.0.55 is not on");
        assertThatThrownBy(() -> VipCommands.of(
                        ApplicationConfig.builder("a")
                                .server("s", s -> s.hostname("h"))
                                .build(),
                        context(b -> b, false).config().servers().get(0)))
                .hasMessageContaining("vip");
    }
}
