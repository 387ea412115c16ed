/**
 * The long-running manager around the monitor, as MHA's {@code masterha_manager}: its status
 * file, the single-instance lock, the anti-flap flag files, and the status a
 * {@code check_status} reads. Files and formats are MHA's, so MHA's own tools can read them.
 */
package io.mha4j.manager;
