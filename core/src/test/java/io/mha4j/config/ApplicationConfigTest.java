package io.mha4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApplicationConfigTest {

    private static ApplicationConfig sample() {
        return ApplicationConfig.builder("app1")
                .user("mha")
                .password("topsecret")
                .replUser("repl")
                .replPassword("replsecret")
                .pingInterval(1)
                .server("server1", s -> s.hostname("127.0.0.1").port(3306))
                .server("server2", s -> s.hostname("127.0.0.1").port(3307).candidateMaster(true))
                .build();
    }

    @Test
    void serversInheritDefaultsSetInCode() {
        ApplicationConfig config = sample();
        ServerConfig s2 = config.server("server2").orElseThrow();
        assertThat(s2.user()).isEqualTo("mha");
        assertThat(s2.origin(Parameter.USER)).isEqualTo(Origin.CODE);
        assertThat(s2.candidateMaster()).isTrue();
        assertThat(config.pingInterval()).hasSeconds(1);
        assertThat(s2.displayName()).isEqualTo("127.0.0.1(127.0.0.1:3307)");
    }

    @Test
    void valueIsTheSettingOrTheParametersOwnDefaultAndNamesOneThatHasNeither() {
        ApplicationConfig config = sample();
        ServerConfig s1 = config.server("server1").orElseThrow();
        assertThat(config.value(Parameter.PING_INTERVAL)).isEqualTo(1);
        assertThat(config.value(Parameter.APPLY_TIMEOUT))
                .isEqualTo(Parameter.APPLY_TIMEOUT.defaultValue().orElseThrow());
        assertThat(s1.value(Parameter.CHECK_REPL_DELAY)).isTrue();
        assertThat(config.server("server2").orElseThrow().value(Parameter.CANDIDATE_MASTER))
                .isTrue();
        assertThatThrownBy(() -> s1.value(Parameter.CLIENT_BINDIR))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("server1: client_bindir has no value and no default");
    }

    @Test
    void toBuilderRoundTripsAndCanRemoveADeadMaster() {
        ApplicationConfig config = sample();
        assertThat(config.toBuilder().build()).isEqualTo(config);
        ApplicationConfig without = config.toBuilder().removeServer("server1").build();
        assertThat(without.servers()).extracting(ServerConfig::block).containsExactly("server2");
        assertThat(without.servers().get(0).password().reveal()).isEqualTo("topsecret");
    }

    @Test
    void neverPrintsPasswords() {
        ApplicationConfig config = sample();
        assertThat(config.toString())
                .doesNotContain("topsecret")
                .doesNotContain("replsecret")
                .contains("xxx");
        assertThat(config.servers().get(0).toString()).doesNotContain("topsecret");
        assertThat(ConfigListing.render(config)).doesNotContain("topsecret").doesNotContain("replsecret");
    }

    @Test
    void rejectsAnApplicationWithoutServersOrWithClashingOnes() {
        assertThatThrownBy(() -> ApplicationConfig.builder("app1").build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("no server is defined");
        assertThatThrownBy(() -> ApplicationConfig.builder("app1")
                        .server("server1", s -> s.hostname("h"))
                        .server("server1", s -> s.hostname("i"))
                        .build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("[server1] block [server1] is defined twice");
        assertThatThrownBy(() -> ApplicationConfig.builder("app1")
                        .server("server1", s -> s.port(3306))
                        .build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("[server1] hostname: missing; every server block needs hostname=");
    }
}
