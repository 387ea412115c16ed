package io.mha4j.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.config.Secret;
import org.junit.jupiter.api.Test;

class RemoteCommandTest {

    @Test
    void aCommandIsNotRepeatableUnlessMarkedAndTheMarkKeepsItsArgumentsAndSecrets() {
        RemoteCommand plain = RemoteCommand.builder("tool")
                .secretOption("password", Secret.of("pw"))
                .arg("x")
                .build();
        RemoteCommand marked = plain.repeatable();

        assertThat(plain.isRepeatable()).isFalse();
        assertThat(RemoteCommand.of("true").isRepeatable()).isFalse();
        assertThat(marked.isRepeatable()).isTrue();
        assertThat(marked.argv()).isEqualTo(plain.argv()).containsExactly("tool", "--password=pw", "x");
        assertThat(marked.toString()).isEqualTo("tool --password=xxx x");
        assertThat(marked).isNotEqualTo(plain).isEqualTo(plain.repeatable());
    }
}
