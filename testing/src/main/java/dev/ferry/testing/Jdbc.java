package dev.ferry.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/** The SQL helpers of {@link TestDatabase}, the same for every kind of server: failures name server and SQL. */
final class Jdbc {

    private Jdbc() {
    }

    static void execute(TestDatabase db, String... sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                try {
                    s.execute(statement);
                } catch (SQLException e) {
                    throw failure(db, statement, e);
                }
            }
        } catch (SQLException e) {
            throw failure(db, String.join(";\n", sql), e);
        }
    }

    static List<List<Object>> query(TestDatabase db, String sql, Object... params) {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            if (!ps.execute()) {
                return List.of();
            }
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.getResultSet()) {
                ResultSetMetaData meta = rs.getMetaData();
                int columns = meta.getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(columns);
                    for (int i = 1; i <= columns; i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(Collections.unmodifiableList(row));
                }
            }
            return Collections.unmodifiableList(rows);
        } catch (SQLException e) {
            throw failure(db, sql + (params.length == 0 ? "" : " with " + Arrays.toString(params)), e);
        }
    }

    /** The first column of the first row, as a string: for one-value queries such as the server's version. */
    static String value(TestDatabase db, String sql) {
        return String.valueOf(query(db, sql).get(0).get(0));
    }

    /**
     * Creates a database named prefix + "_" + a number from {@code sequence}, trying the next number while the
     * name is taken; {@code create} gives the statement for a name.
     */
    static String createNumbered(TestDatabase db, String prefix, IntSupplier sequence,
            Function<String, String> create, Predicate<SQLException> exists) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            while (true) {
                String database = prefix + "_" + sequence.getAsInt();
                try {
                    s.execute(create.apply(database));
                    return database;
                } catch (SQLException e) {
                    if (!exists.test(e)) {
                        throw failure(db, create.apply(database), e);
                    }
                }
            }
        } catch (SQLException e) {
            throw failure(db, create.apply(prefix + "_..."), e);
        }
    }

    static IllegalStateException failure(Object server, String sql, SQLException e) {
        return new IllegalStateException(server + ": " + sql + " failed: " + e.getMessage(), e);
    }
}
