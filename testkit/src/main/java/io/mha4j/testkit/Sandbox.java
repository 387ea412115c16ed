package io.mha4j.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class one {@link SandboxCluster}, started before its first test and closed
 * after its last, injected wherever a {@code SandboxCluster} parameter appears: constructors,
 * {@code @BeforeAll}, {@code @BeforeEach}, {@code @AfterEach}, {@code @AfterAll} and tests.
 * {@code @Nested} classes share their enclosing class's cluster.
 *
 * <pre>{@code
 * @Sandbox(nodes = 3)
 * class FailoverIT {
 *     @Test
 *     void survivesTheMastersDeath(SandboxCluster cluster) { ... }
 * }
 * }</pre>
 *
 * <p>Tests share the cluster, so a test that rearranges it (kills the master, re-points
 * replicas) should restore it or use a cluster of its own from {@link SandboxCluster#builder()}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SandboxExtension.class)
public @interface Sandbox {

    /** How many servers; node1 is the master. */
    int nodes() default 3;

    /** How replicas first point at node1. */
    Positioning positioning() default Positioning.GTID;

    /** Extra server options for every node. */
    String[] serverOptions() default {};

    /**
     * Whether servers start {@code read_only=ON}; {@code false} starts them writable, as most
     * production configurations do (see {@link SandboxCluster.Builder#startsReadOnly}).
     */
    boolean startsReadOnly() default true;
}
