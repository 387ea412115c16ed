/**
 * A virtual IP that follows the master: {@code failover_hooks=vip} with {@code vip},
 * {@code vip_interface}, {@code vip_key}, {@code vip_command_style} and {@code vip_arping}.
 */
package io.mha4j.vip;
