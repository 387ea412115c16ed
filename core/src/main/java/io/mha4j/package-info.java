/**
 * mha4j: MySQL/MariaDB master high availability as an embeddable library.
 *
 * <p>This package holds the API a host application touches. Everything under
 * {@code io.mha4j.internal} may change without notice.
 */
package io.mha4j;
