package dev.ferry.quickstart;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The conflict records Ferry's jobs write into {@code ferry.ferry_conflict} at each site, read as they appear. */
final class Conflicts {
    /**
     * One record, as stored at {@code site} by the direction that met the conflict there.
     *
     * @param key the primary key as a JSON array, such as {@code [1]}
     */
    record Conflict(String site, String direction, String table, String key, String type, String resolution,
            String policy) {
        String line() {
            return "conflict recorded at " + site + " by " + direction + ": " + table + " key " + key + " " + type
                    + " -> " + resolution + " (" + policy + ")";
        }
    }

    private final String channel;
    private final Map<String, Long> lastId = new HashMap<>();
    private final List<Conflict> seen = new ArrayList<>();

    Conflicts(String channel) {
        this.channel = channel;
    }

    /** The records added at these sites since the last call. */
    List<Conflict> poll(Shop... sites) throws SQLException {
        List<Conflict> added = new ArrayList<>();
        for (Shop site : sites) {
            try (PreparedStatement ps = site.connection().prepareStatement("SELECT id, direction, table_schema,"
                    + " table_name, row_key, conflict_type, resolution, policy FROM ferry.ferry_conflict"
                    + " WHERE channel = ? AND id > ? ORDER BY id")) {
                ps.setString(1, channel);
                ps.setLong(2, lastId.getOrDefault(site.site(), 0L));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lastId.put(site.site(), rs.getLong(1));
                        added.add(new Conflict(site.site(), rs.getString(2), rs.getString(3) + "." + rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                    }
                }
            }
        }
        seen.addAll(added);
        return added;
    }

    /** Every record read so far. */
    List<Conflict> seen() {
        return List.copyOf(seen);
    }
}
