package io.mha4j.check;

import java.time.Duration;

/**
 * One SSH route tested by check_ssh: from the manager (or a database host) to a host.
 *
 * @param from who connects: {@code manager} or {@code root@10.0.0.51(10.0.0.51:22)}
 * @param to the target, named the same way
 * @param ok whether it worked
 * @param detail why not (empty when it worked)
 * @param took how long the test took
 */
public record SshPair(String from, String to, boolean ok, String detail, Duration took) {
    public static final String MANAGER = "manager";
}
