package io.mha4j.check;

import java.util.List;

/** Every route check_ssh tested, manager-to-host routes first, then host-to-host in MHA's order. */
public record SshCheckResult(List<SshPair> pairs) {
    public SshCheckResult {
        pairs = List.copyOf(pairs);
    }

    public boolean isOk() {
        return pairs.stream().allMatch(SshPair::ok);
    }

    public List<SshPair> failures() {
        return pairs.stream().filter(p -> !p.ok()).toList();
    }
}
