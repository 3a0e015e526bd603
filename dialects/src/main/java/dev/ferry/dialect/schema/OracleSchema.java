package dev.ferry.dialect.schema;

import static dev.ferry.dialect.TargetDialect.literal;
import static dev.ferry.dialect.TargetDialect.quoteVerbatim;

import dev.ferry.common.MysqlTime;
import dev.ferry.common.TableId;
import dev.ferry.dialect.OracleDialect;
import java.sql.SQLException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Oracle DDL. A MySQL database is an Oracle user (schema) that must exist at the target.
 *
 * <p>Oracle stores {@code ''} as NULL. So that a MySQL {@code ''} is not refused, text and binary columns
 * (VARCHAR2, CLOB, RAW, BLOB) are created NULL-able even where MySQL says NOT NULL, except in the primary key
 * (where Oracle requires NOT NULL: a key holding {@code ''} cannot be replicated to Oracle). JSON columns are
 * CLOBs with {@code CHECK (c IS JSON)}.
 */
public final class OracleSchema extends TargetSchemaTranslator {
    private static final long serialVersionUID = 1L;
    /**
     * ORA-00955 name used, 01430 column exists, 00942 no table, 00904 no column, 01418 no index, 01442/01451
     * already NOT NULL / NULL, 02443 no such constraint, 02264 constraint name used.
     */
    private static final Set<Integer> ALREADY = Set.of(955, 1430, 942, 904, 1418, 1442, 1451, 2443, 2264);
    private static final Pattern TIME = Pattern.compile("(-)?(\\d+):(\\d{1,2}):(\\d{1,2})(?:\\.(\\d{1,6}))?");

    public OracleSchema(OracleDialect dialect) {
        super(dialect, OracleTypes.MAP);
    }

    @Override
    protected String createIndexName(TableId table, String name) {
        return dialect.quoteIdentifier(table.database()) + "." + quoteVerbatim(name);
    }

    /**
     * {@code <table>_<column>_enum}: Oracle names constraints per schema. After a RENAME of the table the CHECK
     * keeps the old name; a later ALTER then adds a second one, and the old one (with the old values) must be
     * dropped by hand if the values changed: it refuses a new value loudly, naming itself.
     */
    @Override
    protected String enumCheckName(TableId table, String column) {
        return dialect.names().derived(table.table(), column, "enum");
    }

    @Override
    protected String addColumn(String table, String definition) {
        return "ALTER TABLE " + table + " ADD (" + definition + ")";
    }

    /** Oracle cannot change a column between a LOB and another type in place. */
    @Override
    protected String modifyType(String table, String column, String fromType, String toType, SourceColumn c) {
        if (isLob(fromType) != isLob(toType)) {
            throw TypeMap.refuse(c, "Oracle cannot change a column from " + fromType + " to " + toType + " in place");
        }
        return "ALTER TABLE " + table + " MODIFY (" + column + " " + toType + ")";
    }

    @Override
    protected String modifyNullable(String table, String column, boolean nullable) {
        return "ALTER TABLE " + table + " MODIFY (" + column + (nullable ? " NULL)" : " NOT NULL)");
    }

    /** ORA-02443 when it does not exist, which {@link #isAlreadySatisfied} accepts. */
    @Override
    protected String dropCheck(String table, String name) {
        return "ALTER TABLE " + table + " DROP CONSTRAINT " + name;
    }

    /** NULL-able for '' unless in the primary key (see the class comment). */
    @Override
    protected boolean targetNullable(SourceColumn c, SourceTable table) {
        String type = columnType(c);
        boolean emptyIsNull = type.startsWith("VARCHAR2") || type.startsWith("RAW") || isLob(type);
        return c.nullable() || (emptyIsNull && !table.primaryKey().contains(c.name()));
    }

    @Override
    protected String columnConstraint(SourceColumn c) {
        return c.typeName().equals("JSON") ? " CHECK (" + dialect.quoteIdentifier(c.name()) + " IS JSON)" : "";
    }

    @Override
    protected String currentTimestamp(String targetType) {
        if (targetType.endsWith("WITH TIME ZONE")) {
            return "SYSTIMESTAMP";
        }
        return targetType.startsWith("TIMESTAMP") ? "SYS_EXTRACT_UTC(SYSTIMESTAMP)" : null;
    }

    /** Temporal defaults as ANSI literals, which no NLS format can misread; a TIMESTAMP literal is UTC. */
    @Override
    protected String literalDefault(SourceColumn c, String targetType, String value) {
        return switch (c.typeName()) {
            case "DATE" -> "DATE " + literal(value);
            case "DATETIME" -> "TIMESTAMP " + literal(value);
            case "TIMESTAMP" -> "TIMESTAMP " + literal(value + " +00:00");
            case "TIME" -> "INTERVAL " + literal(OracleDialect.intervalText(time(c, value))) + " DAY(2) TO SECOND(6)";
            default -> super.literalDefault(c, targetType, value);
        };
    }

    private static MysqlTime time(SourceColumn c, String value) {
        Matcher m = TIME.matcher(value.strip());
        if (!m.matches()) {
            throw TypeMap.refuse(c, "the default '" + value + "' is not a TIME literal Ferry can read");
        }
        String fraction = m.group(5) == null ? "0" : (m.group(5) + "00000").substring(0, 6);
        long micros = ((Long.parseLong(m.group(2)) * 60 + Long.parseLong(m.group(3))) * 60 + Long.parseLong(m.group(4)))
                * 1_000_000L + Long.parseLong(fraction);
        return new MysqlTime(m.group(1) == null ? micros : -micros);
    }

    private static boolean isLob(String type) {
        return type.equals("CLOB") || type.equals("BLOB");
    }

    @Override
    public boolean isAlreadySatisfied(SQLException e) {
        return ALREADY.contains(e.getErrorCode());
    }

    /** Types spelled as {@link OracleTypes} writes them: {@code NUMBER(10,2)}, {@code VARCHAR2(255 CHAR)}, {@code RAW(16)}. */
    @Override
    public String catalogColumnsQuery() {
        return "SELECT COLUMN_NAME, CASE"
                + " WHEN DATA_TYPE = 'NUMBER' AND DATA_PRECISION IS NOT NULL THEN 'NUMBER(' || DATA_PRECISION"
                + " || CASE WHEN DATA_SCALE <> 0 THEN ',' || DATA_SCALE END || ')'"
                + " WHEN DATA_TYPE IN ('VARCHAR2', 'CHAR') THEN DATA_TYPE || '(' || CHAR_LENGTH"
                + " || CASE CHAR_USED WHEN 'C' THEN ' CHAR' ELSE ' BYTE' END || ')'"
                + " WHEN DATA_TYPE = 'RAW' THEN 'RAW(' || DATA_LENGTH || ')' ELSE DATA_TYPE END,"
                + " CASE NULLABLE WHEN 'Y' THEN 1 ELSE 0 END"
                + " FROM ALL_TAB_COLUMNS WHERE OWNER = ? AND TABLE_NAME = ? ORDER BY COLUMN_ID";
    }

    @Override
    public String catalogPrimaryKeyQuery() {
        return "SELECT cc.COLUMN_NAME FROM ALL_CONSTRAINTS k JOIN ALL_CONS_COLUMNS cc"
                + " ON cc.OWNER = k.OWNER AND cc.CONSTRAINT_NAME = k.CONSTRAINT_NAME"
                + " WHERE k.OWNER = ? AND k.TABLE_NAME = ? AND k.CONSTRAINT_TYPE = 'P' ORDER BY cc.POSITION";
    }
}
