package io.mha4j.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One shell per host and login: who closes it, and when. */
class RemoteShellsTest {
    private static final ApplicationConfig CONFIG = ApplicationConfig.builder("app1")
            .server("server1", s -> s.hostname("10.0.0.51"))
            .server("server2", s -> s.hostname("10.0.0.52"))
            .server("server3", s -> s.hostname("10.0.0.52").port(3307))
            .build();
    private static final ServerConfig OLD_MASTER = CONFIG.servers().get(0);
    private static final ServerConfig SHARING = CONFIG.servers().get(1);

    private final FakeShells provider = new FakeShells(t -> "ready");
    private final RemoteShells shells = new RemoteShells(provider);

    @Test
    void theOldMastersShellIsClosedAndALaterUseOpensANewOne() {
        RemoteShell old = shells.shellFor(OLD_MASTER);
        RemoteShell replica = shells.shellFor(SHARING);

        assertThat(shells.release(OLD_MASTER, CONFIG.servers())).isTrue();

        assertThat(provider.opened.get(0).closed()).isTrue();
        assertThat(provider.opened.get(1).closed()).as("another host's").isFalse();
        assertThat(shells.shellFor(OLD_MASTER)).isNotSameAs(old);
        assertThat(shells.shellFor(SHARING)).isSameAs(replica);
        assertThat(shells.release(OLD_MASTER, List.of())).isTrue();
        assertThat(shells.release(OLD_MASTER, List.of()))
                .as("nothing left to close")
                .isFalse();
    }

    @Test
    void aShellAnotherServerSharesStaysOpen() {
        RemoteShell shared = shells.shellFor(SHARING);

        assertThat(shells.release(SHARING, CONFIG.servers())).isFalse();

        assertThat(provider.opened.get(0).closed()).isFalse();
        assertThat(shells.shellFor(CONFIG.servers().get(2))).isSameAs(shared);
    }

    @Test
    void closedShellsOpenNoMore() {
        shells.shellFor(OLD_MASTER);

        shells.close();

        assertThat(provider.opened.get(0).closed()).isTrue();
        assertThatThrownBy(() -> shells.shellFor(SHARING))
                .isInstanceOf(RemoteShellException.class)
                .hasMessageContaining("the shells are closed");
        assertThat(provider.opened).hasSize(1);
    }
}
