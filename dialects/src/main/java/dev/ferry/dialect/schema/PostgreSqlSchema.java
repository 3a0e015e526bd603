package dev.ferry.dialect.schema;

import static dev.ferry.dialect.TargetDialect.literal;
import static dev.ferry.dialect.TargetDialect.quoteVerbatim;

import dev.ferry.common.TableId;
import dev.ferry.dialect.PostgreSqlDialect;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL DDL. A MySQL database is a schema that must exist at the target. DATETIME's
 * {@code DEFAULT CURRENT_TIMESTAMP} becomes the current UTC time, as Ferry's sessions run in UTC.
 */
public final class PostgreSqlSchema extends TargetSchemaTranslator {
    private static final long serialVersionUID = 1L;
    /** Duplicate table, column, object; undefined table, column, object. */
    private static final Set<String> ALREADY = Set.of("42P07", "42701", "42710", "42P01", "42703", "42704");

    public PostgreSqlSchema(PostgreSqlDialect dialect) {
        super(dialect, PostgreSqlTypes.MAP);
    }

    @Override
    public List<String> createSchema(String database) {
        return List.of("CREATE SCHEMA IF NOT EXISTS " + dialect.quoteIdentifier(database));
    }

    @Override
    protected String createIndexName(TableId table, String name) {
        // PostgreSQL creates an index in its table's schema and takes no schema here
        return quoteVerbatim(name);
    }

    /** {@code <column>_enum}: PostgreSQL names CHECKs per table, so the name survives a RENAME of the table. */
    @Override
    protected String enumCheckName(TableId table, String column) {
        return dialect.names().derived(column, "enum");
    }

    @Override
    protected String addColumn(String table, String definition) {
        return "ALTER TABLE " + table + " ADD COLUMN " + definition;
    }

    @Override
    protected String modifyType(String table, String column, String fromType, String toType, SourceColumn c) {
        return "ALTER TABLE " + table + " ALTER COLUMN " + column + " TYPE " + toType + " USING " + column + "::"
                + toType;
    }

    @Override
    protected String modifyNullable(String table, String column, boolean nullable) {
        return "ALTER TABLE " + table + " ALTER COLUMN " + column + (nullable ? " DROP NOT NULL" : " SET NOT NULL");
    }

    @Override
    protected String dropCheck(String table, String name) {
        return "ALTER TABLE " + table + " DROP CONSTRAINT IF EXISTS " + name;
    }

    @Override
    protected String currentTimestamp(String targetType) {
        if (targetType.endsWith("with time zone")) {
            return "CURRENT_TIMESTAMP";
        }
        return targetType.endsWith("without time zone") ? "(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')" : null;
    }

    /** A TIMESTAMP literal is read as UTC, Ferry's time zone for TIMESTAMP values. */
    @Override
    protected String literalDefault(SourceColumn c, String targetType, String value) {
        if (targetType.endsWith("with time zone")) {
            return literal(value + "+00");
        }
        return super.literalDefault(c, targetType, value);
    }

    @Override
    public boolean isAlreadySatisfied(SQLException e) {
        return ALREADY.contains(e.getSQLState());
    }

    @Override
    public String catalogColumnsQuery() {
        return PostgreSqlCatalog.columns("a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull", "");
    }

    @Override
    public String catalogPrimaryKeyQuery() {
        return PostgreSqlCatalog.indexColumns("a.attname", "", "x.indisprimary", "k.ord");
    }
}
