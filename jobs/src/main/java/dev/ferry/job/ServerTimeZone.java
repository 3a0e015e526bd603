package dev.ferry.job;

import dev.ferry.config.SiteConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The offset the source server uses for TIMESTAMP values when no {@code time-zone} is configured. */
final class ServerTimeZone {
    private ServerTimeZone() {}

    static String detect(SiteConfig site) {
        try (Connection c = Endpoints.of(site).connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW())")) {
            rs.next();
            return offset(Math.round(rs.getLong(1) / 60.0) * 60);
        } catch (SQLException e) {
            throw Preflight.unreachable(site, e);
        }
    }

    static String offset(long seconds) {
        long abs = Math.abs(seconds);
        return String.format("%s%02d:%02d", seconds < 0 ? "-" : "+", abs / 3600, abs / 60 % 60);
    }
}
