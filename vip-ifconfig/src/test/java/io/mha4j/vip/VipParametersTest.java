package io.mha4j.vip;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.config.Parameter;
import org.junit.jupiter.api.Test;

/** The VIP's parameters are this module's: found by name once it is on the classpath, and named as its. */
class VipParametersTest {
    @Test
    void declaredByThisModule() {
        assertThat(Parameter.byName("vip_interface")).containsSame(VipParameters.VIP_INTERFACE);
        assertThat(Parameter.all())
                .filteredOn(p -> p.module().equals("mha4j-vip-ifconfig"))
                .extracting(Parameter::name)
                .containsExactly("vip", "vip_interface", "vip_key", "vip_command_style", "vip_arping");
        assertThat(VipParameters.VIP_INTERFACE.scope()).isEqualTo(Parameter.Scope.SERVER_OR_DEFAULT);
    }
}
