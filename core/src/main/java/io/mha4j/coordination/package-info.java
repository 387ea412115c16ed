/**
 * Several managers for one application, one of them acting: {@link io.mha4j.coordination.Coordination}.
 */
package io.mha4j.coordination;
