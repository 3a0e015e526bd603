package dev.ferry.compat.ddltypes;

import static dev.ferry.compat.BinlogClientReflection.LIBRARY;
import static dev.ferry.compat.BinlogClientReflection.wrapEventData;

import dev.ferry.compat.ddlstatements.UnparseableStatements;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Column types the DDL parser of Debezium 1.9.8 (inside Flink CDC 3.5.0) does not know: MySQL 9's {@code VECTOR} and
 * MariaDB's {@code UUID}, {@code INET6} and {@code INET4}. It skips a CREATE or ALTER TABLE that uses one, and then
 * knows no schema for the table; Flink CDC dropped the table's rows without a word (see TableSchemaGuard, which
 * stops the direction where that would still happen).
 *
 * <p>So each such statement that a binlog QUERY event carries reaches Debezium with each of these column types
 * replaced by the type its values are logged as ({@code LONGBLOB} for VECTOR, {@code BINARY(16)} for UUID and INET6,
 * {@code BINARY(4)} for INET4), followed by {@link #MARKER} and the original type in a comment. Debezium then knows
 * the table and reads its rows as bytes, and Ferry holds the table at the marked statement, naming the column and
 * its type (DdlRecords), so the direction's other tables flow on. The match is by words, not a parse: a false match
 * only holds a table, and never changes a row. No upstream code is copied; delete this class once Flink CDC ships a
 * parser that knows these types.
 */
public final class UnparseableColumnTypes {
    /** Starts the comment that keeps a rewritten column's type: {@code BINARY(16) /*ferry:UUID*}{@code /}. */
    public static final String MARKER = "/*ferry:";
    private static final String LABEL = "column types Debezium cannot parse";
    /** What each type's values are logged as, which Debezium parses. */
    private static final Map<String, String> LOGGED_AS = Map.of("VECTOR", "LONGBLOB", "UUID", "BINARY(16)",
            "INET6", "BINARY(16)", "INET4", "BINARY(4)");
    /**
     * One of those types in a column definition: after the column's name, and before what may follow a type (VECTOR's
     * dimension, the end of the definition, or a column attribute). A column named so is followed by its type instead.
     */
    private static final Pattern TYPE = Pattern.compile("(?i)((?:`(?:[^`]|``)+`|[\\w$]+)\\s+)(VECTOR(?:\\s*\\(\\s*\\d+"
            + "\\s*\\))?|UUID|INET6|INET4)(?=\\s*(?:[,);]|$|(?:NOT|NULL|COMMENT|DEFAULT|INVISIBLE|VISIBLE|FIRST|AFTER"
            + "|PRIMARY|UNIQUE|KEY)\\b))");
    /** A column {@link #rewrite} marked: its name and original type. */
    private static final Pattern MARKED = Pattern.compile("(`(?:[^`]|``)+`|[\\w$]+)\\s+(?:LONGBLOB|BINARY\\(\\d+\\)) "
            + Pattern.quote(MARKER) + "([^*]+)\\*/");
    /** Words that come before a column's name, not its type: after them, such a word is a name. */
    private static final Set<String> BEFORE_A_NAME = Set.of("ADD", "DROP", "COLUMN", "TABLE", "CHANGE", "MODIFY",
            "RENAME", "TO", "AS", "AFTER", "BY", "KEY", "INDEX", "EXISTS");
    private static final Logger LOG = LoggerFactory.getLogger(UnparseableColumnTypes.class);

    private UnparseableColumnTypes() {}

    /**
     * Wraps the QUERY deserializer of a binlog client's current event deserializer: see {@link #rewrite}, then
     * {@link UnparseableStatements#rewrite} with the parser of the client's class loader.
     */
    public static void install(Object client) throws ReflectiveOperationException {
        ClassLoader loader = client.getClass().getClassLoader();
        Class<?> queryData = Class.forName(LIBRARY + "event.QueryEventData", false, loader);
        var getSql = queryData.getMethod("getSql");
        var getDatabase = queryData.getMethod("getDatabase");
        var setSql = queryData.getMethod("setSql", String.class);
        wrapEventData(client, "QUERY", LABEL, (in, upstream) -> {
            Object data = upstream.run(new Object[] {in});
            String sql = (String) getSql.invoke(data);
            String rewritten = rewrite(sql);
            if (rewritten != sql) {
                LOG.info("a statement read from the binlog has column types the binlog reader cannot parse: they reach"
                        + " it as the types their values are logged as, and Ferry holds the table: {}", sql);
            }
            rewritten = UnparseableStatements.rewrite(rewritten, (String) getDatabase.invoke(data),
                    (statement, database) -> UnparseableStatements.parses(loader, statement, database));
            if (rewritten != sql) {
                setSql.invoke(data, rewritten);
            }
            return data;
        });
    }

    /**
     * A CREATE or ALTER statement with each such column type as the type its values are logged as, marked with the
     * original ({@code e LONGBLOB /*ferry:VECTOR(3)*}{@code /}); the same string if it has none.
     */
    public static String rewrite(String sql) {
        String upper = sql == null ? "" : sql.toUpperCase(Locale.ROOT);
        if (!upper.contains("VECTOR") && !upper.contains("UUID") && !upper.contains("INET")) {
            return sql;
        }
        String head = upper.stripLeading();
        if (!head.startsWith("CREATE") && !head.startsWith("ALTER")) {
            return sql;
        }
        Matcher m = TYPE.matcher(sql);
        StringBuilder out = new StringBuilder();
        boolean changed = false;
        while (m.find()) {
            String replacement = m.group();
            if (!BEFORE_A_NAME.contains(m.group(1).trim().toUpperCase(Locale.ROOT))) {
                String type = m.group(2).toUpperCase(Locale.ROOT).replaceAll("\\s+", "");
                replacement = m.group(1) + LOGGED_AS.get(type.replaceAll("\\(.*", "")) + " " + MARKER + type + "*/";
                changed = true;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return changed ? out.toString() : sql;
    }

    /** The original types of the columns a statement had marked, by column name; empty if it has none. */
    public static Map<String, String> markedColumns(String statement) {
        Map<String, String> columns = new LinkedHashMap<>();
        Matcher m = MARKED.matcher(statement);
        while (m.find()) {
            String name = m.group(1);
            columns.put(name.startsWith("`") ? name.substring(1, name.length() - 1).replace("``", "`") : name,
                    m.group(2));
        }
        return columns;
    }
}
