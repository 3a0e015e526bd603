package dev.ferry.dialect;

import dev.ferry.common.MysqlTime;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Binds each of Ferry's value types (see {@link dev.ferry.common.ChangeEvent}) through one hook per type,
 * so that a dialect says only how its database differs: temporal values, NULL, booleans, TIME.
 */
public abstract class AbstractDialect implements Dialect {
    private static final long serialVersionUID = 1L;

    @Override
    public void bind(PreparedStatement ps, int index, Object v) throws SQLException {
        if (v == null) {
            bindNull(ps, index);
        } else if (v instanceof Long l) {
            ps.setLong(index, l);
        } else if (v instanceof BigDecimal d) {
            ps.setBigDecimal(index, d);
        } else if (v instanceof Float f) {
            ps.setFloat(index, f);
        } else if (v instanceof Double d) {
            ps.setDouble(index, d);
        } else if (v instanceof String s) {
            bindString(ps, index, s);
        } else if (v instanceof byte[] b) {
            bindBytes(ps, index, b);
        } else if (v instanceof Boolean b) {
            bindBoolean(ps, index, b);
        } else if (v instanceof LocalDate d) {
            bindDate(ps, index, d);
        } else if (v instanceof LocalDateTime t) {
            bindDateTime(ps, index, t);
        } else if (v instanceof Instant i) {
            bindInstant(ps, index, i);
        } else if (v instanceof MysqlTime t) {
            bindTime(ps, index, t);
        } else {
            throw new SQLException(name() + " dialect cannot bind a value of type " + v.getClass().getName());
        }
    }

    protected void bindNull(PreparedStatement ps, int index) throws SQLException {
        ps.setNull(index, Types.NULL);
    }

    protected void bindString(PreparedStatement ps, int index, String s) throws SQLException {
        ps.setString(index, s);
    }

    protected void bindBytes(PreparedStatement ps, int index, byte[] b) throws SQLException {
        ps.setBytes(index, b);
    }

    protected void bindBoolean(PreparedStatement ps, int index, boolean b) throws SQLException {
        ps.setBoolean(index, b);
    }

    protected void bindDate(PreparedStatement ps, int index, LocalDate d) throws SQLException {
        ps.setObject(index, d);
    }

    /** As a {@link LocalDateTime}, which keeps the microseconds that a text form in a session format could cut. */
    protected void bindDateTime(PreparedStatement ps, int index, LocalDateTime t) throws SQLException {
        ps.setObject(index, t);
    }

    /** TIMESTAMP: the instant, as an offset date-time in UTC. */
    protected void bindInstant(PreparedStatement ps, int index, Instant i) throws SQLException {
        ps.setObject(index, i.atOffset(ZoneOffset.UTC));
    }

    /** MySQL TIME: a signed duration up to 838:59:59, not a time of day. */
    protected abstract void bindTime(PreparedStatement ps, int index, MysqlTime t) throws SQLException;
}
