/**
 * Time as a dependency: a {@link io.mha4j.time.Scheduler} runs mha4j's periodic work and owns
 * the clock it reads, so that the same code runs on real time ({@link
 * io.mha4j.time.Scheduler#system(String)}) and on virtual time in tests ({@link
 * io.mha4j.time.ManualScheduler}): "four missed pings at 3 s" is checked in milliseconds.
 */
package io.mha4j.time;
