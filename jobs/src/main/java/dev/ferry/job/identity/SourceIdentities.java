package dev.ferry.job.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads a source server's {@link SourceIdentity} over JDBC, and asks a server whether it holds a recorded one. */
public final class SourceIdentities {
    private SourceIdentities() {}

    public static SourceIdentity read(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            return rs.getString(1).contains("MariaDB") ? readMariaDb(c) : readMySql(c);
        }
    }

    private static SourceIdentity readMySql(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT @@server_uuid, @@server_id, @@global.gtid_mode, @@global.gtid_executed")) {
            rs.next();
            boolean gtids = "ON".equalsIgnoreCase(rs.getString(3));
            return new SourceIdentity(false, rs.getString(1), rs.getLong(2),
                    gtids ? rs.getString(4).replace("\n", "") : null, null, null);
        }
    }

    private static SourceIdentity readMariaDb(Connection c) throws SQLException {
        long serverId;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@server_id")) {
            rs.next();
            serverId = rs.getLong(1);
        }
        String file = null;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            if (rs.next()) {
                file = rs.getString(1);
            }
        }
        return new SourceIdentity(true, null, serverId, null, file, file == null ? null : binlogStart(c, file));
    }

    /**
     * Whether the server behind {@code c}, whose identity is {@code current}, holds the history that
     * {@code recorded} describes, so that a binlog position read at {@code recorded} means the same there.
     *
     * @return whether it does, and if not why not (for the refusal)
     */
    public static Verdict compare(SourceIdentity recorded, SourceIdentity current, Connection c)
            throws SQLException {
        if (recorded.mariaDb() != current.mariaDb()) {
            return Verdict.refused("it is " + (current.mariaDb() ? "a MariaDB" : "a MySQL") + " server now");
        }
        return recorded.mariaDb() ? compareMariaDb(recorded, current, c) : compareMySql(recorded, current, c);
    }

    /**
     * With GTIDs the server's gtid_executed must contain the recorded one, whoever the server is: Flink CDC then
     * resumes by GTID set, so a replica promoted in the old server's place continues exactly. Without GTIDs only the
     * same server will do.
     */
    private static Verdict compareMySql(SourceIdentity recorded, SourceIdentity current, Connection c)
            throws SQLException {
        boolean sameServer = recorded.serverUuid().equals(current.serverUuid());
        if (recorded.gtidExecuted() == null || current.gtidExecuted() == null) {
            return sameServer ? Verdict.SAME
                    : Verdict.refused("GTIDs are off at " + (current.gtidExecuted() == null ? "it" : "the server read"
                            + " before") + ", so the saved binlog file and position can only be resumed at the same"
                            + " server");
        }
        String missing;
        try (PreparedStatement ps = c.prepareStatement("SELECT GTID_SUBTRACT(?, @@global.gtid_executed)")) {
            ps.setString(1, recorded.gtidExecuted());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                missing = rs.getString(1).replace("\n", "");
            }
        }
        if (missing.isEmpty()) {
            return sameServer ? Verdict.SAME : Verdict.RESUMES_BY_GTID;
        }
        return Verdict.refused("its gtid_executed lacks transactions of the server read before, so the target may"
                + " hold changes this server does not have (missing: " + shorten(missing) + ")");
    }

    /** The same server_id, and the recorded binlog file begins the same (or was purged since). */
    private static Verdict compareMariaDb(SourceIdentity recorded, SourceIdentity current, Connection c)
            throws SQLException {
        if (recorded.serverId() != current.serverId()) {
            return Verdict.refused("it has another server_id, and Flink CDC resumes MariaDB by binlog file and"
                    + " position, which differ between servers");
        }
        if (recorded.binlogFile() == null) {
            return Verdict.SAME;
        }
        if (!binlogFiles(c).contains(recorded.binlogFile())) {
            // purged since (or never there): Flink CDC's own check refuses a position in a purged file
            return Verdict.SAME;
        }
        String there = binlogStart(c, recorded.binlogFile());
        if (there.equals(recorded.binlogStart())) {
            return Verdict.SAME;
        }
        return Verdict.refused("its binlog " + recorded.binlogFile() + " begins '" + there + "': another binlog"
                + " history under the same name");
    }

    /**
     * The first two events of a MariaDB binlog file, format description and GTID list, with the server_id that
     * wrote them: fixed when the file is created. Reading them costs two events, whatever the file's size.
     */
    private static String binlogStart(Connection c, String file) throws SQLException {
        List<String> events = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SHOW BINLOG EVENTS IN ? LIMIT 2")) {
            ps.setString(1, file);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(rs.getString("Event_type") + " by " + rs.getLong("Server_id") + ": "
                            + rs.getString("Info"));
                }
            }
        }
        return String.join("; ", events);
    }

    private static List<String> binlogFiles(Connection c) throws SQLException {
        List<String> files = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                files.add(rs.getString(1));
            }
        }
        return files;
    }

    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** The outcome of {@link #compare}: {@code refusal} is null unless the position must not be used there. */
    public record Verdict(String refusal, boolean byGtid) {
        static final Verdict SAME = new Verdict(null, false);
        static final Verdict RESUMES_BY_GTID = new Verdict(null, true);

        static Verdict refused(String why) {
            return new Verdict(why, false);
        }

        public boolean isRefused() {
            return refusal != null;
        }
    }
}
