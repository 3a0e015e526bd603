package dev.ferry.it;

import static dev.ferry.it.Sites.q;

import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A database copied from one MySQL-family server to another as a dump and its restore would: tables, then rows. */
final class ServerCopy {
    private ServerCopy() {}

    /** Replaces {@code database} at {@code to} by a copy of it at {@code from}; {@code to}'s binlog records it. */
    static void copyDatabase(TestDatabase from, TestDatabase to, String database) {
        try (Connection source = from.connect(database); Connection target = to.connect()) {
            try (Statement s = target.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + q(database));
                s.execute("CREATE DATABASE " + q(database));
                s.execute("USE " + q(database));
            }
            for (String table : tables(source)) {
                try (Statement s = source.createStatement();
                        ResultSet create = s.executeQuery("SHOW CREATE TABLE " + q(table))) {
                    create.next();
                    try (Statement t = target.createStatement()) {
                        t.execute(create.getString(2));
                    }
                }
                copyRows(source, target, table);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("copying " + database + " from " + from.name() + " to " + to.name(), e);
        }
    }

    private static List<String> tables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW TABLES")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    private static void copyRows(Connection source, Connection target, String table) throws SQLException {
        try (Statement s = source.createStatement(); ResultSet rows = s.executeQuery("SELECT * FROM " + q(table))) {
            int columns = rows.getMetaData().getColumnCount();
            String insert = "INSERT INTO " + q(table) + " VALUES (" + "?, ".repeat(columns - 1) + "?)";
            try (PreparedStatement ps = target.prepareStatement(insert)) {
                while (rows.next()) {
                    for (int i = 1; i <= columns; i++) {
                        ps.setObject(i, rows.getObject(i));
                    }
                    ps.executeUpdate();
                }
            }
        }
    }
}
