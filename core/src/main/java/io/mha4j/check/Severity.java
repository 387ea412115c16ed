package io.mha4j.check;

/** How much a finding matters. Any {@link #ERROR} makes a check NOT OK. */
public enum Severity {
    INFO,
    WARNING,
    ERROR
}
