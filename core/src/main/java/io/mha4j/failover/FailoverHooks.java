package io.mha4j.failover;

import io.mha4j.FailoverHook;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.internal.failover.MhaScriptHook;
import java.util.List;

/** The hooks every failover has: MHA's configured scripts. */
final class FailoverHooks {
    private FailoverHooks() {}

    static List<FailoverHook> mhaScripts(ApplicationConfig config) {
        return List.of(new MhaScriptHook(config));
    }
}
