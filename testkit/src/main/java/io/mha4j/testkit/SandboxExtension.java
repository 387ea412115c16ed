package io.mha4j.testkit;

import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit Jupiter extension behind {@link Sandbox}: one cluster per annotated class, kept in
 * that class's {@link ExtensionContext.Store} (which closes it when the class is done) and
 * resolved for every {@link SandboxCluster} parameter. The cluster starts in {@code beforeAll}
 * so a server that cannot start fails the class once, clearly.
 *
 * <p>Works with JUnit Jupiter 5.10 and later, 6.x included: it calls only what both have
 * ({@code getOrComputeIfAbsent}; {@code computeIfAbsent} is 6.x only) and stores the cluster in
 * a {@link ExtensionContext.Store.CloseableResource}, which every version closes (before 5.13 a
 * value that is merely {@link AutoCloseable} is never closed). The testkit declares JUnit
 * {@code provided}: the test's own JUnit is the one that runs it.
 */
public final class SandboxExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SandboxExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SandboxCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: deprecated in 6.x, the only one 5.x has
    private static SandboxCluster cluster(ExtensionContext context) {
        ExtensionContext owner = annotatedClassContext(context);
        Class<?> testClass = owner.getRequiredTestClass();
        Sandbox config =
                AnnotationSupport.findAnnotation(testClass, Sandbox.class).orElseThrow();
        return owner.getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        testClass,
                        c -> new StoredCluster(SandboxCluster.builder()
                                .nodes(config.nodes())
                                .positioning(config.positioning())
                                .serverOptions(config.serverOptions())
                                .startsReadOnly(config.startsReadOnly())
                                .start()),
                        StoredCluster.class)
                .cluster();
    }

    /**
     * The cluster as the store keeps it, closed once when its class is done: JUnit 5.10–5.12 close only a
     * CloseableResource; 5.13+ and 6.x close an AutoCloseable (and warn about a CloseableResource that is not one).
     */
    @SuppressWarnings("deprecation") // CloseableResource: deprecated in 6.x, the only kind 5.10–5.12 close
    private record StoredCluster(SandboxCluster cluster)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            cluster.close();
        }
    }

    /** The innermost class-level context whose class carries {@link Sandbox}. */
    private static ExtensionContext annotatedClassContext(ExtensionContext context) {
        Optional<ExtensionContext> current = Optional.of(context);
        while (current.isPresent()) {
            ExtensionContext c = current.get();
            if (c.getTestMethod().isEmpty()
                    && c.getTestClass().isPresent()
                    && c.getElement().filter(e -> e == c.getRequiredTestClass()).isPresent()
                    && AnnotationSupport.isAnnotated(c.getRequiredTestClass(), Sandbox.class)) {
                return c;
            }
            current = c.getParent();
        }
        throw new SandboxException("No @Sandbox on "
                + context.getTestClass().map(Class::getName).orElse("?") + " or its enclosing classes");
    }
}
