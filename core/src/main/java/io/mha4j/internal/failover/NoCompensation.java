package io.mha4j.internal.failover;

import io.mha4j.DataCompensator;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.failover.Compensation;
import io.mha4j.failover.CompensationRequest;
import io.mha4j.spi.DataCompensatorProvider;

/**
 * Reads nothing from the dead master ({@code data_compensator=none}, or
 * {@code --skip_save_master_binlog}): what no replica received is given up, and the report
 * says so.
 */
public final class NoCompensation implements DataCompensator, DataCompensatorProvider {
    @Override
    public String name() {
        return "none";
    }

    /** Holds nothing of one application: its own provider. */
    @Override
    public DataCompensator create(ApplicationConfig config) {
        return this;
    }

    @Override
    public Compensation compensate(CompensationRequest request) {
        return Compensation.none("not attempted (data_compensator=none or --skip_save_master_binlog): transactions"
                + " no replica received were given up");
    }
}
