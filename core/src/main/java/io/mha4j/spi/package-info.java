/**
 * What a plugin implements. Every provider has a {@link io.mha4j.spi.NamedProvider#name()}
 * that configuration selects, and is found with {@link java.util.ServiceLoader}.
 */
package io.mha4j.spi;
