package dev.ferry.quickstart;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

/**
 * The demo tables at both sites at one moment, row by row: for each table, its rows keyed by primary key (the key
 * values joined by ','), each row its column values as the server prints them ({@code null} for NULL). The sites
 * agree when these are equal, which compares every value of every row.
 *
 * @param sh table name -> key -> row, at sh
 * @param us the same at us
 */
public record Status(Map<String, Map<String, List<String>>> sh, Map<String, Map<String, List<String>>> us) {

    /** Reads all rows of the demo tables at both sites. */
    static Status read(Shop sh, Shop us) throws SQLException {
        return new Status(rows(sh.connection()), rows(us.connection()));
    }

    private static Map<String, Map<String, List<String>>> rows(Connection c) throws SQLException {
        Map<String, Map<String, List<String>>> tables = new LinkedHashMap<>();
        for (Shop.Table t : Shop.TABLES) {
            int keyColumns = t.key().split(",").length;
            Map<String, List<String>> rows = new LinkedHashMap<>();
            // the key columns first, then the whole row
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + t.key() + ", t.* FROM "
                    + Shop.DATABASE + "." + t.name() + " t ORDER BY " + t.key())) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> key = new ArrayList<>();
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        (i <= keyColumns ? key : row).add(rs.getString(i));
                    }
                    rows.put(String.join(",", key), row);
                }
            }
            tables.put(t.name(), rows);
        }
        return tables;
    }

    /** True if both sites hold exactly the same rows with the same values. */
    public boolean same() {
        return sh.equals(us);
    }

    /** The keys of a table whose row is missing at one site or differs. */
    public List<String> differingKeys(String table) {
        Map<String, List<String>> a = sh.get(table);
        Map<String, List<String>> b = us.get(table);
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys.stream().filter(k -> !Objects.equals(a.get(k), b.get(k))).collect(Collectors.toList());
    }

    /** The live line, e.g. {@code sh 7/12/4 | us 7/12/4 | same} (rows of vgp_order/vgp_order_info/vgp_payment). */
    public String line() {
        long differing = sh.keySet().stream().mapToLong(t -> differingKeys(t).size()).sum();
        return "sh " + counts(sh) + " | us " + counts(us) + " | "
                + (differing == 0 ? "same" : differing + " row(s) differ (changes on their way)");
    }

    /** The final comparison, one line per table. */
    public List<String> report() {
        List<String> lines = new ArrayList<>();
        for (String table : sh.keySet()) {
            List<String> keys = differingKeys(table);
            String counts = String.format("%-15s sh %4d rows  us %4d rows  ", table, sh.get(table).size(),
                    us.get(table).size());
            lines.add(counts + (keys.isEmpty()
                    ? String.format("identical row by row (CRC32 %08x)", checksum(sh.get(table)))
                    : keys.size() + " row(s) differ, keys " + keys.stream().limit(10).map(k -> "(" + k + ")")
                            .collect(Collectors.joining(" ")) + (keys.size() > 10 ? " ..." : "")));
        }
        return lines;
    }

    private static String counts(Map<String, Map<String, List<String>>> site) {
        return site.values().stream().map(rows -> String.valueOf(rows.size())).collect(Collectors.joining("/"));
    }

    private static long checksum(Map<String, List<String>> rows) {
        CRC32 crc = new CRC32();
        rows.values().forEach(row -> crc.update((row + "\n").getBytes(StandardCharsets.UTF_8)));
        return crc.getValue();
    }
}
