package dev.ferry.loop;

import dev.ferry.common.TableId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Names of Ferry's system tables, which live in the {@value #SCHEMA} database of every site (see sql/). */
public final class FerryTables {
    public static final String SCHEMA = "ferry";
    /** Commit markers: one row per applied committable; the first row of every Ferry transaction, and so its stamp. */
    public static final TableId COMMIT = new TableId(SCHEMA, "ferry_commit");
    /** One row per direction job reading this site, updated every second: closes open transactions, measures lag. */
    public static final TableId HEARTBEAT = new TableId(SCHEMA, "ferry_heartbeat");
    /** DDL a Ferry sink executed at this site: 'pending' just before it runs, then its outcome. */
    public static final TableId DDL = new TableId(SCHEMA, "ferry_ddl");
    /** A table's index change, sent by the direction job reading this site (see IndexWatcher). */
    public static final TableId INDEX_SYNC = new TableId(SCHEMA, "ferry_index_sync");
    /** Conflicts met while applying at a site; never replicated. */
    public static final TableId CONFLICT = new TableId(SCHEMA, "ferry_conflict");

    private FerryTables() {}

    public static boolean isFerryTable(TableId table) {
        return SCHEMA.equals(table.database());
    }

    /** Changes held back while a table waits for an operator's decision on a DDL or on a change the target refused. */
    public static final TableId HELD = new TableId(SCHEMA, "ferry_held");

    /** The statements of sql/ferry-schema.sql (on the classpath as ferry-sql/), which create these tables. */
    public static List<String> schemaStatements() {
        return schemaStatements("ferry-schema.sql");
    }

    /**
     * The statements of one of the sql/ files: {@code ferry-schema.sql} (MySQL and MariaDB),
     * {@code ferry-schema-postgresql.sql} or {@code ferry-schema-oracle.sql} (targets only).
     */
    public static List<String> schemaStatements(String file) {
        try (InputStream in = FerryTables.class.getResourceAsStream("/ferry-sql/" + file)) {
            if (in == null) {
                throw new IllegalStateException("ferry-sql/" + file + " is missing from the Ferry jar");
            }
            StringBuilder sql = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.stripLeading().startsWith("--")) {
                    sql.append(line).append('\n');
                }
            }
            List<String> statements = new ArrayList<>();
            for (String statement : sql.toString().split(";")) {
                if (!statement.isBlank()) {
                    statements.add(statement.strip());
                }
            }
            return statements;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
