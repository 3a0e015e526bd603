package dev.ferry.it.checker;

import dev.ferry.testing.TestDatabase;
import java.util.List;

/**
 * The checker's tables. Every modeled table starts with {@code id, tok, prev}: the key, the token of the write that
 * produced this version and the token of the version it replaced. {@code kv_prio} follows the channel's default
 * rule (priority of sh) and has a unique column {@code u}; {@code kv_newer} is {@code newer-wins: ts} and has a
 * generated column {@code vlen}, which the target computes (Ferry leaves it out of its writes);
 * {@code kv_bulk} takes the large transactions. {@code ck_gone} keeps, per row and site, the token of that site's
 * newest delete of the row, written in the deleting transaction, so that a later insert knows which deletes it
 * followed. {@code ck_probe} holds the reader probes and the DDL barriers. Outside the channel, {@code <db>_x.txlog}
 * holds one row per client transaction, written in it, to resolve a COMMIT with an unknown outcome.
 */
public final class CheckerSchema {
    public static final String PRIO = "kv_prio";
    public static final String NEWER = "kv_newer";
    public static final String BULK = "kv_bulk";
    public static final String GONE = "ck_gone";
    public static final String PROBE = "ck_probe";
    public static final List<String> MODELED = List.of(PRIO, NEWER, BULK);
    /** Keys 1..n per table: small, so that both sites write the same rows. */
    static final int SMALL_KEYS = 120;
    static final int BULK_KEYS = 1000;
    /** Values of kv_prio.u: fewer than keys, so that unique values collide. */
    static final int UNIQUE_VALUES = 60;

    private CheckerSchema() {}

    public static String outsideDatabase(String database) {
        return database + "_x";
    }

    static int keySpace(String table) {
        return BULK.equals(table) ? BULK_KEYS : SMALL_KEYS;
    }

    static boolean hasUnique(String table) {
        return PRIO.equals(table);
    }

    static boolean hasTs(String table) {
        return NEWER.equals(table);
    }

    /** Creates the tables at one site (the database must exist) and the transaction log outside the channel. */
    public static void create(TestDatabase site, String database) {
        String d = "`" + database + "`.";
        String x = "`" + outsideDatabase(database) + "`";
        site.execute(
                "CREATE TABLE " + d + PRIO + " (id BIGINT PRIMARY KEY, tok BIGINT NOT NULL, prev BIGINT NULL,"
                        + " u VARCHAR(16) NULL, v VARCHAR(40) NOT NULL, UNIQUE KEY u (u), KEY tok (tok))",
                "CREATE TABLE " + d + NEWER + " (id BIGINT PRIMARY KEY, tok BIGINT NOT NULL, prev BIGINT NULL,"
                        + " ts BIGINT NOT NULL, v VARCHAR(40) NOT NULL, vlen INT AS (CHAR_LENGTH(v)) VIRTUAL,"
                        + " KEY tok (tok))",
                "CREATE TABLE " + d + BULK + " (id BIGINT PRIMARY KEY, tok BIGINT NOT NULL, prev BIGINT NULL,"
                        + " v VARCHAR(40) NOT NULL, KEY tok (tok))",
                "CREATE TABLE " + d + GONE + " (tbl VARCHAR(16) NOT NULL, id BIGINT NOT NULL, site VARCHAR(8) NOT NULL,"
                        + " tok BIGINT NOT NULL, PRIMARY KEY (tbl, id, site))",
                "CREATE TABLE " + d + PROBE + " (id BIGINT PRIMARY KEY)",
                "CREATE DATABASE " + x,
                "CREATE TABLE " + x + ".txlog (tx BIGINT PRIMARY KEY)");
    }

    /**
     * The channel's conflicts block: priority of sh by default, newer-wins on ts for kv_newer, and {@code bulkPolicy}
     * for kv_bulk ({@code priority}: the default; see CheckerSettings).
     */
    public static String conflictsYaml(String database, String bulkPolicy) {
        return "conflicts:\n  default: { priority: sh }\n  tables:\n"
                + "    - { match: '" + database + "\\." + NEWER + "', newer-wins: ts }\n"
                + ("priority".equals(bulkPolicy) ? ""
                        : "    - { match: '" + database + "\\." + BULK + "', policy: " + bulkPolicy + " }\n");
    }
}
