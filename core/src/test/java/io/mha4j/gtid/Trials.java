package io.mha4j.gtid;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The seeds of the property tests ({@link Law}). JUnit's parameterized tests over a seeded
 * generator do here what a property-testing library would: jqwik's author refuses its use by
 * this kind of project, and its results print a notice telling readers to disregard them.
 *
 * <p>Each run draws {@value #TRIALS} seeds from a base seed chosen at random and printed, so
 * that runs explore different inputs; {@code -Dmha4j.laws.base=<n>} repeats a run and
 * {@code -Dmha4j.laws.seed=<n>} runs the one trial a failure names.
 */
final class Trials {
    static final int TRIALS = 250;
    private static final long BASE = Long.getLong("mha4j.laws.base", new SplittableRandom().nextLong());

    static {
        System.out.println("GTID laws: base seed " + BASE + " (-Dmha4j.laws.base=" + BASE + " repeats this run)");
    }

    private Trials() {}

    static Stream<Long> seeds() {
        Long one = Long.getLong("mha4j.laws.seed");
        if (one != null) {
            return Stream.of(one);
        }
        SplittableRandom seeds = new SplittableRandom(BASE);
        return LongStream.generate(seeds::nextLong).limit(TRIALS).boxed();
    }
}
