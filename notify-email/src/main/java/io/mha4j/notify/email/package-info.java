/**
 * The failover report by e-mail: {@code failover_hooks=email} with {@code smtp_host},
 * {@code smtp_port}, {@code smtp_security}, {@code smtp_user}/{@code smtp_password},
 * {@code mail_from}, {@code mail_to}, {@code mail_attempts} and {@code mail_budget} in the
 * application's configuration.
 */
package io.mha4j.notify.email;
