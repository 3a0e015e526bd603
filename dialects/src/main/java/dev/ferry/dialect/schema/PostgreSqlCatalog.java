package dev.ferry.dialect.schema;

/** The pg_catalog joins that the PostgreSQL dialect's and DDL translator's queries share; each binds (schema, table). */
public final class PostgreSqlCatalog {
    private PostgreSqlCatalog() {}

    /** The live columns {@code a} of table {@code c}, in order. */
    public static final String COLUMNS = " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace%s"
            + " WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";

    /** The indexes {@code x} of table {@code c} with their columns {@code a} at position {@code k.ord}. */
    public static final String INDEX_COLUMNS = " FROM pg_catalog.pg_index x%s"
            + " JOIN pg_catalog.pg_class c ON c.oid = x.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)"
            + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
            + " WHERE n.nspname = ? AND c.relname = ? AND %s ORDER BY %s";

    /** Selects {@code select} from the columns, with {@code join} added (or ""). */
    public static String columns(String select, String join) {
        return "SELECT " + select + String.format(COLUMNS, join);
    }

    public static String indexColumns(String select, String join, String where, String orderBy) {
        return "SELECT " + select + String.format(INDEX_COLUMNS, join, where, orderBy);
    }
}
