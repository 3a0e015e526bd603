package dev.ferry.verify;

import dev.ferry.dialect.Dialect;
import dev.ferry.dialect.Dialects;
import dev.ferry.dialect.MySqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;

/**
 * Rewrites rows at one site from another, key by key, in one transaction per table that starts with a
 * Ferry commit marker: every Ferry binlog reader of that site drops it, so the repair is not replicated
 * back (see LoopFilter). A row missing at the site repaired from is deleted.
 */
final class RowRepair {
    private static final Dialect MYSQL = Dialects.forUrl("jdbc:mysql:", "8.0.0");

    private final Connection from;
    private final Connection to;
    private final RepairStamp stamp;

    RowRepair(Connection from, Connection to, RepairStamp stamp) {
        this.from = from;
        this.to = to;
        this.stamp = stamp;
    }

    /** Repairs the rows with these keys; all or nothing. */
    void repair(VerifiedTable table, List<Object[]> keys) throws SQLException {
        to.setAutoCommit(false);
        try (Statement s = to.createStatement()) {
            // replicate key 0 as 0, refuse to truncate; the source enforced its foreign keys
            s.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'");
            s.execute("SET SESSION foreign_key_checks = 0");
            // guarded triggers must not run on repaired rows either (see MySqlDialect#sessionSetup)
            s.execute(MySqlDialect.MARK_APPLYING);
            stamp.insert(to, MYSQL, keys.size());
            for (Object[] key : keys) {
                delete(table, key);
                copy(table, key);
            }
            to.commit();
        } catch (SQLException | RuntimeException e) {
            to.rollback();
            throw e;
        } finally {
            to.setAutoCommit(true);
        }
    }

    private void delete(VerifiedTable table, Object[] key) throws SQLException {
        try (PreparedStatement ps = to.prepareStatement("DELETE FROM " + table.table() + " WHERE " + table.keyRow("="))) {
            bindKey(ps, key);
            ps.executeUpdate();
        }
    }

    /** Copies the row as the other site has it: binary columns as bytes, the rest as the server's exact text. */
    private void copy(VerifiedTable table, Object[] key) throws SQLException {
        try (PreparedStatement read = from.prepareStatement("SELECT " + table.exactSelectList() + " FROM "
                + table.table() + " WHERE " + table.keyRow("="))) {
            bindKey(read, key);
            try (ResultSet rs = read.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                ResultSetMetaData md = rs.getMetaData();
                StringBuilder columns = new StringBuilder();
                StringBuilder marks = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.append(i == 1 ? "" : ", ").append(VerifiedTable.q(md.getColumnName(i)));
                    marks.append(i == 1 ? "?" : ", ?");
                }
                try (PreparedStatement write = to.prepareStatement("INSERT INTO " + table.table() + " (" + columns
                        + ") VALUES (" + marks + ")")) {
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        if (isBinary(md.getColumnType(i))) {
                            write.setBytes(i, rs.getBytes(i));
                        } else {
                            write.setString(i, rs.getString(i));
                        }
                    }
                    write.executeUpdate();
                }
            }
        }
    }

    private static boolean isBinary(int type) {
        return type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY || type == Types.BLOB
                || type == Types.BIT;
    }

    private static void bindKey(PreparedStatement ps, Object[] key) throws SQLException {
        for (int i = 0; i < key.length; i++) {
            ps.setObject(i + 1, key[i]);
        }
    }
}
