package io.mha4j.internal.hook;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.PingType;
import io.mha4j.config.ServerConfig;
import io.mha4j.remote.RemoteCommand;
import org.junit.jupiter.api.Test;

class MhaHookArgumentsTest {

    private static ServerConfig master(String sshOptions) {
        ApplicationConfig.Builder b = ApplicationConfig.builder("app1")
                .user("mha")
                .password("s3cret")
                .sshUser("admin")
                .server(
                        "server1",
                        s -> s.hostname("db1.example").ip("10.0.0.51").port(3307));
        if (sshOptions != null) {
            b.set(Parameter.SSH_OPTIONS, sshOptions);
        }
        return b.build().servers().get(0);
    }

    @Test
    void theSecondaryCheckGetsMhasArgumentsInMhasOrder() {
        MhaScript script = new MhaScript(
                Parameter.SECONDARY_CHECK_SCRIPT, "/usr/bin/masterha_secondary_check -s remote1 -s remote2");
        RemoteCommand c = script.command(MhaHookArguments.secondaryCheck(master(null), PingType.SELECT));
        assertThat(c.argv())
                .containsExactly(
                        "/usr/bin/masterha_secondary_check",
                        "-s",
                        "remote1",
                        "-s",
                        "remote2",
                        "--user=admin",
                        "--master_host=db1.example",
                        "--master_ip=10.0.0.51",
                        "--master_port=3307",
                        "--master_user=mha",
                        "--master_password=s3cret",
                        "--ping_type=SELECT");
        assertThat(c.toString()).contains("--master_password=xxx").doesNotContain("s3cret");
    }

    @Test
    void sshOptionsAddTheOptionsArgumentAsMhaDoes() {
        RemoteCommand c = new MhaScript(Parameter.SECONDARY_CHECK_SCRIPT, "check")
                .command(MhaHookArguments.secondaryCheck(
                        master("-o StrictHostKeyChecking=no -p 2222"), PingType.INSERT));
        assertThat(c.argv()).contains("--ping_type=INSERT");
        assertThat(c.argv().get(c.argv().size() - 1))
                .isEqualTo("--options=-o StrictHostKeyChecking=no"
                        + " -o PasswordAuthentication=no -o BatchMode=yes -o ConnectTimeout=VAR_CONNECT_TIMEOUT"
                        + " -o StrictHostKeyChecking=no -p 2222");
    }
}
