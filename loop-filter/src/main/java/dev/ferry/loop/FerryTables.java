package dev.ferry.loop;

import dev.ferry.common.TableId;

/** Names of Ferry's system tables, which live in the {@value #SCHEMA} database of every site (see sql/). */
public final class FerryTables {
    public static final String SCHEMA = "ferry";
    /** Commit markers: one row per applied committable; the first row of every Ferry transaction, and so its stamp. */
    public static final TableId COMMIT = new TableId(SCHEMA, "ferry_commit");
    /** One row per direction job reading this site, updated every second: closes open transactions, measures lag. */
    public static final TableId HEARTBEAT = new TableId(SCHEMA, "ferry_heartbeat");

    private FerryTables() {}

    public static boolean isFerryTable(TableId table) {
        return SCHEMA.equals(table.database());
    }
}
