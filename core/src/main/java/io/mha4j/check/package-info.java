/**
 * Pre-flight checks, as MHA's {@code masterha_check_ssh} and {@code masterha_check_repl}:
 * library calls that return structured results, which the command line renders as MHA does.
 */
package io.mha4j.check;
