package dev.ferry.compat.ddlstatements;

import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CREATE and ALTER TABLE statements that Debezium 1.9.8's DDL parser (inside Flink CDC 3.5.0) cannot parse. Debezium
 * skips such a statement ({@code Ignoring unparseable DDL statement}) and keeps a table's old columns, or none, and
 * cdc-compat's TableSchemaGuard then had to stop the whole direction at the table's next row. Each QUERY event's
 * CREATE or ALTER TABLE is parsed once more here, by the reader's own parser class, before Debezium sees it; one it
 * refuses reaches Debezium rewritten:
 * <ul>
 *   <li>as the same statement without the words the parser does not know but that change no column (MariaDB's
 *       {@code ALTER TABLE IF EXISTS}, {@code WAIT n}, {@code NOWAIT} and {@code ALGORITHM=NOCOPY}, read as INPLACE;
 *       MySQL's {@code [NOT] ENFORCED} after a CHECK and a column's {@code SRID n}), if that parses, marked with the
 *       original ({@link #PARSED_AS}): Debezium's schema follows the statement, and Ferry applies the original
 *       ({@link #original});
 *   <li>otherwise as a statement that leaves the reader with the table's columns and one more, {@link #FORGOTTEN}
 *       (a CREATE gets that column alone), marked with the original ({@link #UNPARSEABLE}): Ferry holds the table at
 *       that statement, naming it, and reads none of its later rows (TableSchemaGuard blanks them, Ferry's
 *       deserializer refuses a row with that column), while the direction's other tables flow on. The column lives in
 *       the reader's schema, so it survives a restart from a checkpoint.
 * </ul>
 * MariaDB's {@code CREATE OR REPLACE TABLE}, which the parser reads but ignores for a table it knows (so the target
 * never got it, and the table's rows were read against the old columns, without a word), reaches Debezium as a DROP
 * that Ferry does not apply ({@link #isReplacingDrop}) and the CREATE, rewritten as above if need be.
 * A statement whose table name cannot be found stays as it is (TableSchemaGuard still stops the direction at its
 * rows). The marker sits after the first word: Debezium keeps the text between a statement's first and last word as
 * the statement of its schema change. No upstream code is copied; delete this class once Flink CDC's parser reads
 * these statements.
 */
public final class UnparseableStatements {
    /** The column a table the reader could not parse a statement of has in the reader's schema. */
    public static final String FORGOTTEN = "ferry_unparseable";
    /** Marks a statement rewritten into a parseable one; the original follows, base64url, then {@code *}{@code /}. */
    public static final String PARSED_AS = "/*ferry:parsed-without:";
    /** Marks the DROP that comes before a CREATE OR REPLACE TABLE for the reader (see {@link #rewrite}). */
    private static final String REPLACED = "/*ferry:dropped-for-create-or-replace*/";
    /** Marks a statement rewritten to give its table {@link #FORGOTTEN}; the original follows as above. */
    public static final String UNPARSEABLE = "/*ferry:unparseable:";
    private static final String PARSER = "io.debezium.connector.mysql.antlr.MySqlAntlrDdlParser";
    private static final Logger LOG = LoggerFactory.getLogger(UnparseableStatements.class);
    private static final String NAME = "(?:`(?:[^`]|``)+`|[\\w$]+)";
    /** Between two words: blanks and comments (Ferry's own DDL carries its stamp after the verb). */
    private static final String SEP = "(?:\\s|/\\*.*?\\*/)+";
    /** Leading comments, the verb, MariaDB's OR REPLACE, the other words before the table's name, the name. */
    private static final Pattern HEAD = Pattern.compile("(?is)^(?:\\s|/\\*.*?\\*/)*(CREATE|ALTER)" + SEP + "(OR" + SEP
            + "REPLACE" + SEP + ")?(?:ONLINE" + SEP + ")?(?:IGNORE" + SEP + ")?TABLE" + SEP + "(?:IF" + SEP + "(?:NOT"
            + SEP + ")?EXISTS" + SEP + ")?(" + NAME + "(?:\\s*\\.\\s*" + NAME + ")?)");
    private static final int VERB = 1;
    private static final int OR_REPLACE = 2;
    private static final int TABLE = 3;
    private static final Pattern TEMPORARY = Pattern.compile("(?is)^(?:\\s|/\\*.*?\\*/)*CREATE" + SEP + "(?:OR" + SEP
            + "REPLACE" + SEP + ")?TEMPORARY\\b");
    private static final String ALTER_TABLE = "(?is)^((?:\\s|/\\*.*?\\*/)*ALTER" + SEP + "(?:ONLINE" + SEP
            + ")?(?:IGNORE" + SEP + ")?TABLE";
    /** Words that change no column, each removed on its own (what group 1 matched stays). */
    private static final Pattern[] NO_COLUMN_WORDS = {
        Pattern.compile(ALTER_TABLE + ")" + SEP + "IF" + SEP + "EXISTS(?=\\s)"),
        Pattern.compile(ALTER_TABLE + SEP + NAME + "(?:\\s*\\.\\s*" + NAME + ")?)" + SEP
                + "(?:WAIT\\s+\\d+|NOWAIT)\\b"),
        Pattern.compile("(?is)(\\))\\s*(?:NOT\\s+)?ENFORCED\\b"),
        Pattern.compile("(?is)()\\s+SRID\\s+\\d+\\b"),
    };
    /** MariaDB's ALGORITHM=NOCOPY, which the parser does not know, read as INPLACE (neither changes a column). */
    private static final Pattern NOCOPY = Pattern.compile("(?is)(\\bALGORITHM\\s*=?\\s*)NOCOPY\\b");

    private UnparseableStatements() {}

    /**
     * The statement Debezium gets for {@code sql}: the same string if {@code parses} (a statement and the database it
     * runs in) accepts it or it is no CREATE or ALTER TABLE, else a rewrite described above.
     */
    public static String rewrite(String sql, String database, BiPredicate<String, String> parses) {
        Matcher head = sql == null ? null : HEAD.matcher(sql);
        if (head == null || !head.lookingAt() || TEMPORARY.matcher(sql).lookingAt()) {
            return sql;
        }
        String table = head.group(TABLE);
        String marked = mark(sql);
        if (head.group(OR_REPLACE) != null) {
            // Debezium 1.9.8 parses MariaDB's CREATE OR REPLACE TABLE but ignores it for a table it knows: its rows
            // were read against the old columns and the target never got the statement. It gets a DROP, marked so
            // that Ferry does not apply it (the original does the replacing), before the CREATE.
            String create = sql.substring(0, head.start(OR_REPLACE)) + sql.substring(head.end(OR_REPLACE));
            String drop = "DROP " + REPLACED + " TABLE IF EXISTS " + table + ";\n";
            String parseable = drop + afterVerb(create, PARSED_AS + marked + "*/");
            return parses.test(parseable, database) ? parseable : drop + forgotten(table, "CREATE", marked, sql);
        }
        if (parses.test(sql, database)) {
            return sql;
        }
        String withoutWords = sql;
        for (Pattern words : NO_COLUMN_WORDS) {
            withoutWords = words.matcher(withoutWords).replaceAll("$1");
        }
        withoutWords = NOCOPY.matcher(withoutWords).replaceAll("$1INPLACE");
        if (!withoutWords.equals(sql)) {
            String parseable = afterVerb(withoutWords, PARSED_AS + marked + "*/");
            if (parses.test(parseable, database)) {
                return parseable;
            }
        }
        return forgotten(table, head.group(VERB).toUpperCase(Locale.ROOT), marked, sql);
    }

    /** The statement that leaves {@code table} with the reader's columns and {@link #FORGOTTEN}, marked. */
    private static String forgotten(String table, String verb, String marked, String sql) {
        LOG.warn("the binlog reader cannot parse a statement on table {}: if the table is in the channel, Ferry"
                + " holds it there: {}", table, sql);
        return verb + " " + UNPARSEABLE + marked + "*/ TABLE " + table + (verb.equals("CREATE")
                ? " (`" + FORGOTTEN + "` LONGBLOB)" : " ADD COLUMN IF NOT EXISTS `" + FORGOTTEN + "` LONGBLOB");
    }

    /** Whether a schema change's statement is the DROP that {@link #rewrite} put before a CREATE OR REPLACE. */
    public static boolean isReplacingDrop(String statement) {
        return statement != null && statement.contains(REPLACED);
    }

    private static String mark(String sql) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sql.getBytes(StandardCharsets.UTF_8));
    }

    private static String afterVerb(String sql, String marker) {
        Matcher head = HEAD.matcher(sql);
        head.lookingAt();
        return sql.substring(0, head.end(VERB)) + " " + marker + sql.substring(head.end(VERB));
    }

    /** The statement Debezium read without words it does not know ({@link #PARSED_AS}), or empty if none. */
    public static Optional<String> original(String statement) {
        return marked(statement, PARSED_AS);
    }

    /** The statement Debezium could not parse behind a forgotten table ({@link #UNPARSEABLE}), or empty if none. */
    public static Optional<String> unparseable(String statement) {
        return marked(statement, UNPARSEABLE);
    }

    private static Optional<String> marked(String statement, String marker) {
        int at = statement == null ? -1 : statement.indexOf(marker);
        int end = at < 0 ? -1 : statement.indexOf("*/", at + marker.length());
        if (end < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Base64.getUrlDecoder().decode(statement.substring(at + marker.length(), end)),
                    StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether Debezium's MySQL DDL parser, as {@code loader} has it, parses {@code sql} in {@code database}: false only
     * where it throws its ParsingException (the one its reader skips a statement for), true where anything else goes
     * wrong, so the statement reaches the reader as it is. Reached by reflection (see TableSchemaGuard).
     */
    public static boolean parses(ClassLoader loader, String sql, String database) {
        try {
            Class<?> parserClass = Class.forName(PARSER, false, loader);
            Class<?> tablesClass = Class.forName("io.debezium.relational.Tables", false, loader);
            Object parser = parserClass.getConstructor().newInstance();
            if (database != null && !database.isEmpty()) {
                parserClass.getMethod("setCurrentDatabase", String.class).invoke(parser, database);
            }
            parserClass.getMethod("parse", String.class, tablesClass).invoke(parser, sql,
                    tablesClass.getConstructor().newInstance());
            return true;
        } catch (InvocationTargetException e) {
            String thrown = e.getCause() == null ? "" : e.getCause().getClass().getSimpleName();
            return !thrown.equals("ParsingException") && !thrown.equals("MultipleParsingExceptions");
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.warn("cannot test-parse a statement with the binlog reader's parser: {}", e.toString());
            return true;
        }
    }
}
