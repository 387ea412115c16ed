package io.mha4j.config;

import java.util.List;

/**
 * A module's own parameters (e.g. {@code vip}, {@code smtp_host}), found with {@link
 * java.util.ServiceLoader} ({@code META-INF/services/io.mha4j.config.ParameterProvider}). They
 * are read from {@code app1.cnf}, checked, defaulted, masked when secret and listed by {@code
 * show_conf} like core's; a configuration that sets one whose module is absent gets core's
 * "unknown parameter" error, with its file and line.
 */
public interface ParameterProvider {
    /**
     * The parameters, each made once with {@link Parameter#of} and kept in a constant. A name
     * core or another module already declares is an error when the parameters are first loaded.
     */
    List<Parameter<?>> parameters();
}
