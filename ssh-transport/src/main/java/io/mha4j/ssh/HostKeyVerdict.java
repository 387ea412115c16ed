package io.mha4j.ssh;

/** What known_hosts says of the key a host presented. */
enum HostKeyVerdict {
    /** A line for this host holds exactly this key. */
    KNOWN,
    /** No line names this host: a host never seen, or never recorded. */
    UNKNOWN,
    /** Lines name this host, but none holds this key: a reinstalled host, or a man in the middle. */
    CHANGED,
    /** The key is marked {@code @revoked}: never accept it. */
    REVOKED
}
