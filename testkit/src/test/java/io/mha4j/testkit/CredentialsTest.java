package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialsTest {

    @Test
    void passwordsNeverShowInText() {
        assertThat(SandboxCredentials.DEFAULT.toString())
                .contains("mha", "repl", "app")
                .doesNotContain(
                        SandboxCredentials.ADMIN.password(),
                        SandboxCredentials.REPLICATION.password(),
                        SandboxCredentials.APPLICATION.password())
                .contains("password=xxx");
    }
}
