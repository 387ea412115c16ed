package io.mha4j.failover;

/** MHA's failover phases, in order, with the titles MHA logs. */
public enum FailoverPhase {
    CHECK("Phase 1: Configuration Check Phase"),
    ISOLATE("Phase 2: Dead Master Shutdown Phase"),
    RECOVER_NEW_MASTER("Phase 3: Master Recovery Phase"),
    RECOVER_REPLICAS("Phase 4: Slaves Recovery Phase"),
    CLEANUP("Phase 5: New master cleanup phase");

    private final String title;

    FailoverPhase(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
