package io.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.remote.RemoteCommand;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnnouncedPidTest {

    private static String read(InputStream in) throws Exception {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theCommandIsExecdAfterTheShellAnnouncesItsPid() {
        RemoteCommand command = RemoteCommand.of("printf", "%s", "it's $HOME");

        assertThat(AnnouncedPid.commandLine(command))
                .isEqualTo("echo mha4j-pid $$ >&2; exec printf %s 'it'\\''s $HOME'");
        assertThat(AnnouncedPid.killGroup(4242).argv()).containsExactly("kill", "-KILL", "--", "-4242");
    }

    @Test
    void theAnnouncementIsRemovedFromStderrAndItsPidKept() throws Exception {
        AnnouncedPid pid = new AnnouncedPid();

        String stderr = read(pid.strip(bytes("mha4j-pid 4242\nwarning: something\n")));

        assertThat(stderr).isEqualTo("warning: something\n");
        assertThat(pid.pid()).isEqualTo(4242);
    }

    @Test
    void whatStartupFilesPrintBeforeTheAnnouncementIsKept() throws Exception {
        AnnouncedPid pid = new AnnouncedPid();

        String stderr = read(pid.strip(bytes("bashrc: pyenv not found\nmha4j-pid 17\nerr\n")));

        assertThat(stderr).isEqualTo("bashrc: pyenv not found\nerr\n");
        assertThat(pid.pid()).isEqualTo(17);
    }

    @Test
    void withoutAnAnnouncementNothingIsRemoved() throws Exception {
        AnnouncedPid pid = new AnnouncedPid();

        assertThat(pid.pid()).isEqualTo(-1);
        String stderr = read(pid.strip(bytes("csh: syntax error\n")));

        assertThat(stderr).isEqualTo("csh: syntax error\n");
        assertThat(pid.pid()).isEqualTo(-1);
    }
}
