package io.mha4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.internal.monitor.MasterHealthCheck;
import io.mha4j.time.ManualScheduler;
import org.junit.jupiter.api.Test;

/** The monitor is a ServiceLoader plugin like the other seams, chosen by cluster_monitor. */
class ClusterMonitorProviderTest {
    private static ApplicationConfig.Builder app() {
        return ApplicationConfig.builder("app1")
                .user("mha")
                .password("pw")
                .set(Parameter.REMOTE_SHELL, "local")
                .server("server1", s -> s.hostname("10.0.0.51"))
                .server("server2", s -> s.hostname("10.0.0.52"));
    }

    @Test
    void theDefaultIsMhasMonitor() {
        ApplicationConfig config = app().build();
        try (ClusterMonitor m = ClusterMonitor.builder(config, config.servers().get(0))
                .scheduler(new ManualScheduler())
                .build()) {
            assertThat(m).isInstanceOf(MasterHealthCheck.class);
        }
    }

    @Test
    void anUnknownNameIsAnErrorListingTheProviders() {
        ApplicationConfig config =
                app().set(Parameter.CLUSTER_MONITOR, "zabbix").build();
        assertThatThrownBy(() ->
                        ClusterMonitor.builder(config, config.servers().get(0)).build())
                .isInstanceOf(Mha4jException.class)
                .hasMessageContaining("no ClusterMonitor named 'zabbix'")
                .hasMessageContaining("mha");
    }
}
