package io.mha4j.config;

import io.mha4j.config.Parameter.Scope;
import java.util.List;

/** A plugin's parameters as a third party declares them: registered for core's tests only. */
public final class TestPluginParameters implements ParameterProvider {
    static final String MODULE = "acme-mha4j-plugin";

    public static final Parameter<Integer> LEVEL = Parameter.of(
            MODULE, "acme_level", Scope.APPLICATION, ValueType.positiveInt(), 3, "how hard the acme plugin tries");
    public static final Parameter<Secret> TOKEN = Parameter.of(
            MODULE,
            "acme_token",
            Scope.SERVER_OR_DEFAULT,
            ValueType.secret(),
            null,
            "the acme plugin's token for each host");

    @Override
    public List<Parameter<?>> parameters() {
        return List.of(LEVEL, TOKEN);
    }
}
