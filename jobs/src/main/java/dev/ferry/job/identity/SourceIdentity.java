package dev.ferry.job.identity;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which server a direction's binlog position belongs to. MySQL: {@code @@server_uuid} and, with GTIDs, the
 * server's {@code gtid_executed}, which holds every transaction the position covers. MariaDB has no server_uuid:
 * {@code @@server_id} plus the binlog file being written and how it begins: its first events, the format
 * description (server version) and the GTID list (the GTID position the file starts at), written when the file was
 * created and never changed, so the same server shows them again and another server only by chance.
 */
public record SourceIdentity(boolean mariaDb, String serverUuid, long serverId, String gtidExecuted,
        String binlogFile, String binlogStart) implements Serializable {

    /** One line per field, {@code key=value}; the form kept in Flink state. */
    public String encode() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("kind", mariaDb ? "mariadb" : "mysql");
        fields.put("server_uuid", serverUuid);
        fields.put("server_id", serverId);
        fields.put("gtid_executed", gtidExecuted);
        fields.put("binlog_file", binlogFile);
        fields.put("binlog_start", binlogStart);
        StringBuilder s = new StringBuilder();
        fields.forEach((k, v) -> {
            if (v != null) {
                // GTID sets print with newlines after their commas
                s.append(k).append('=').append(v.toString().replace("\n", "")).append('\n');
            }
        });
        return s.toString();
    }

    public static SourceIdentity decode(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : encoded.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new SourceIdentity("mariadb".equals(fields.get("kind")), fields.get("server_uuid"),
                Long.parseLong(fields.getOrDefault("server_id", "0")), fields.get("gtid_executed"),
                fields.get("binlog_file"), fields.get("binlog_start"));
    }

    /** For messages: the server as a DBA names it. */
    public String describe() {
        if (!mariaDb) {
            return "MySQL server_uuid " + serverUuid + " (server_id " + serverId + ")";
        }
        return "MariaDB server_id " + serverId + (binlogFile == null ? ""
                : " (binlog " + binlogFile + " beginning '" + binlogStart + "')");
    }
}
