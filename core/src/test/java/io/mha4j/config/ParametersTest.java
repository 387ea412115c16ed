package io.mha4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParametersTest {
    /** The list in MHA 0.58's MHA::Config, in its order. */
    private static final List<String> MHA_PARAMETERS = List.of(
            "hostname",
            "ip",
            "port",
            "ssh_host",
            "ssh_ip",
            "ssh_port",
            "ssh_connection_timeout",
            "ssh_options",
            "node_label",
            "candidate_master",
            "no_master",
            "ignore_fail",
            "skip_init_ssh_check",
            "skip_reset_slave",
            "user",
            "password",
            "repl_user",
            "repl_password",
            "disable_log_bin",
            "master_pid_file",
            "handle_raw_binlog",
            "ssh_user",
            "remote_workdir",
            "master_binlog_dir",
            "log_level",
            "manager_workdir",
            "manager_log",
            "check_repl_delay",
            "check_repl_filter",
            "latest_priority",
            "multi_tier_slave",
            "ping_interval",
            "ping_type",
            "secondary_check_script",
            "master_ip_failover_script",
            "master_ip_online_change_script",
            "shutdown_script",
            "report_script",
            "init_conf_load_script",
            "client_bindir",
            "client_libdir",
            "use_gtid_auto_pos");

    @Test
    void knowsExactlyTheParametersMhaKnows() {
        assertThat(Parameter.all())
                .filteredOn(Parameter::isMhaParameter)
                .extracting(Parameter::name)
                .containsExactlyInAnyOrderElementsOf(MHA_PARAMETERS);
        assertThat(Parameter.all())
                .filteredOn(p -> !p.isMhaParameter() && p.module().equals(Parameter.CORE))
                .extracting(Parameter::name)
                .containsExactly(
                        "sql_connect_timeout",
                        "sql_read_timeout",
                        "ping_failure_limit",
                        "fast_failure_detection",
                        "ssh_identity_file",
                        "ssh_known_hosts_file",
                        "ssh_host_key_checking",
                        "remote_shell",
                        "coordination",
                        "cluster_monitor",
                        "master_elector",
                        "data_compensator",
                        "topology_rewirer",
                        "failover_hooks",
                        "apply_timeout",
                        "replica_read_timeout",
                        "errant_transactions",
                        "failover_without_fence",
                        "merge_recovered_transactions",
                        "rejoin_old_master");
    }

    @Test
    void timeoutsTakeSecondsWithDecimals() {
        assertThat(Parameter.SQL_CONNECT_TIMEOUT.parse("0.5")).hasMillis(500);
        assertThat(Parameter.SQL_CONNECT_TIMEOUT.parse("4")).hasSeconds(4);
        assertThat(Parameter.SQL_CONNECT_TIMEOUT.format(java.time.Duration.ofMillis(1500)))
                .isEqualTo("1.5");
        assertThatThrownBy(() -> Parameter.SQL_READ_TIMEOUT.parse("0"))
                .hasMessage("value '0' is not a positive number of seconds");
        assertThatThrownBy(() -> Parameter.SQL_READ_TIMEOUT.parse("1s"))
                .hasMessage("value '1s' is not a number of seconds such as 4 or 0.5");
    }

    @Test
    void hasMhaDefaults() {
        assertThat(Parameter.PORT.defaultValue()).contains(3306);
        assertThat(Parameter.SSH_PORT.defaultValue()).contains(22);
        assertThat(Parameter.PING_INTERVAL.defaultValue()).contains(3);
        assertThat(Parameter.PING_TYPE.defaultValue()).contains(PingType.SELECT);
        assertThat(Parameter.USER.defaultValue()).contains("root");
        assertThat(Parameter.MASTER_BINLOG_DIR.defaultValue()).contains(List.of("/var/lib/mysql", "/var/log/mysql"));
        assertThat(Parameter.MANAGER_WORKDIR.defaultValue()).contains("/var/tmp");
        assertThat(Parameter.REMOTE_WORKDIR.defaultValue()).contains("/var/tmp");
        assertThat(Parameter.SSH_CONNECTION_TIMEOUT.defaultValue()).contains(5);
        assertThat(Parameter.CHECK_REPL_DELAY.defaultValue()).contains(true);
        assertThat(Parameter.HANDLE_RAW_BINLOG.defaultValue()).contains(true);
        assertThat(Parameter.USE_GTID_AUTO_POS.defaultValue()).contains(true);
        assertThat(Parameter.MULTI_TIER_SLAVE.defaultValue()).contains(false);
        assertThat(Parameter.LOG_LEVEL.defaultValue()).contains("info");
        assertThat(Parameter.PING_FAILURE_LIMIT.defaultValue()).contains(4);
        assertThat(Parameter.FAST_FAILURE_DETECTION.defaultValue()).contains(true);
    }

    @Test
    void theDetectionParametersConcernTheWholeApplication() {
        assertThat(Parameter.PING_FAILURE_LIMIT.scope()).isEqualTo(Parameter.Scope.APPLICATION);
        assertThat(Parameter.FAST_FAILURE_DETECTION.scope()).isEqualTo(Parameter.Scope.APPLICATION);
        assertThatThrownBy(() -> Parameter.PING_FAILURE_LIMIT.parse("0"))
                .hasMessage("value '0' is not a positive integer");
        ApplicationConfig app = ApplicationConfig.builder("app1")
                .setText(Parameter.FAST_FAILURE_DETECTION, "0")
                .server("server1", s -> s.hostname("10.0.0.51"))
                .build();
        assertThat(app.fastFailureDetection()).isFalse();
        assertThat(app.pingFailureLimit()).isEqualTo(4);
    }

    @Test
    void onlyPasswordsAreSecret() {
        assertThat(Parameter.all())
                .filteredOn(p -> p.isSecret() && p.module().equals(Parameter.CORE))
                .extracting(Parameter::name)
                .containsExactlyInAnyOrder("password", "repl_password");
    }

    @Test
    void secretsPrintAsXxx() {
        Secret secret = Secret.of("hunter2");
        Setting<Secret> setting = new Setting<>(Parameter.PASSWORD, secret, Origin.CODE);
        assertThat(secret).hasToString("xxx");
        assertThat(setting).hasToString("password=xxx (set in code)");
        assertThat(Parameter.PASSWORD.display(secret)).isEqualTo("xxx");
        assertThat(Parameter.PASSWORD.format(secret)).isEqualTo("hunter2");
    }

    @Test
    void suggestsTheParameterATypoMeant() {
        assertThat(ParameterNames.suggestionFor("repl_pasword")).isEqualTo(" (did you mean 'repl_password'?)");
        assertThat(ParameterNames.suggestionFor("pingtype")).isEqualTo(" (did you mean 'ping_type'?)");
    }

    @Test
    void codeCannotPutAParameterWhereItDoesNotBelong() {
        assertThatThrownBy(() -> ServerConfig.builder("server1").set(Parameter.PING_INTERVAL, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ping_interval applies to the whole application, not to [server1];"
                        + " set it on ApplicationConfig.Builder");
        assertThatThrownBy(() -> ApplicationConfig.builder("app1").set(Parameter.CANDIDATE_MASTER, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("candidate_master is set per server, not for the whole application");
        assertThatThrownBy(() -> ServerConfig.builder("server1").port(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value '0' is not a port (1-65535)");
    }
}
