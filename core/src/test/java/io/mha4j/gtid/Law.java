package io.mha4j.gtid;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A law checked over {@link Trials#seeds() seeded random trials}: the test method takes the
 * trial's seed, draws its inputs from a {@link java.util.Random} made from it, and each trial's
 * display name shows the seed, so that a failure reproduces with {@code -Dmha4j.laws.seed=<seed>}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "seed {0}")
@MethodSource("io.mha4j.gtid.Trials#seeds")
@interface Law {}
