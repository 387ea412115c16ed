package io.mha4j.spi;

/** A provider found by {@link java.util.ServiceLoader} and chosen by the name configuration gives. */
public interface NamedProvider {
    /** The name configuration selects this provider by, e.g. {@code ssh}. Unique per SPI. */
    String name();
}
