package io.mha4j.testkit;

import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit Jupiter extension behind {@link Sandbox}: one cluster per annotated class, kept in
 * that class's {@link ExtensionContext.Store} (which closes it, being {@link AutoCloseable},
 * when the class is done) and resolved for every {@link SandboxCluster} parameter. The cluster
 * starts in {@code beforeAll} so a server that cannot start fails the class once, clearly.
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

    private static SandboxCluster cluster(ExtensionContext context) {
        ExtensionContext owner = annotatedClassContext(context);
        Class<?> testClass = owner.getRequiredTestClass();
        Sandbox config = AnnotationSupport.findAnnotation(testClass, Sandbox.class).orElseThrow();
        return owner.getStore(NAMESPACE).computeIfAbsent(testClass, c -> SandboxCluster.builder()
                .nodes(config.nodes()).positioning(config.positioning()).serverOptions(config.serverOptions())
                .startsReadOnly(config.startsReadOnly()).start(), SandboxCluster.class);
    }

    /** The innermost class-level context whose class carries {@link Sandbox}. */
    private static ExtensionContext annotatedClassContext(ExtensionContext context) {
        Optional<ExtensionContext> current = Optional.of(context);
        while (current.isPresent()) {
            ExtensionContext c = current.get();
            if (c.getTestMethod().isEmpty() && c.getTestClass().isPresent()
                    && c.getElement().filter(e -> e == c.getRequiredTestClass()).isPresent()
                    && AnnotationSupport.isAnnotated(c.getRequiredTestClass(), Sandbox.class)) {
                return c;
            }
            current = c.getParent();
        }
        throw new SandboxException("No @Sandbox on " + context.getTestClass().map(Class::getName).orElse("?")
                + " or its enclosing classes");
    }
}
