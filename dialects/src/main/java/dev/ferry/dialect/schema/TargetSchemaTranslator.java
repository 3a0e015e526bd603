package dev.ferry.dialect.schema;

import static dev.ferry.dialect.TargetDialect.literal;
import static dev.ferry.dialect.TargetDialect.quoteVerbatim;

import dev.ferry.common.TableId;
import dev.ferry.dialect.TargetDialect;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the PostgreSQL and Oracle DDL generators share: the shape of CREATE TABLE, the column diff of
 * ALTER TABLE, defaults, ENUM checks and index changes. Subclasses supply the statements' spelling.
 *
 * <p>ENUM columns get a CHECK constraint named by {@link #enumCheckName}. The target catalog shows
 * no value lists, so {@link #alterTable} re-creates the CHECK of every ENUM column on each ALTER (a value
 * added at the source must not be refused at the target): for a table with ENUM columns its result is
 * never empty. Default changes are not seen by {@link #alterTable} (the catalog query reads no defaults).
 */
public abstract class TargetSchemaTranslator implements SchemaTranslator {
    private static final long serialVersionUID = 1L;
    private static final Pattern NOW = Pattern.compile(
            "(?i)(CURRENT_TIMESTAMP|NOW|LOCALTIMESTAMP|LOCALTIME)\\s*(\\(\\s*\\d*\\s*\\))?");
    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final Pattern BIT_LITERAL = Pattern.compile("(?i)b'([01])'|[01]");

    protected final TargetDialect dialect;
    private final TypeMap types;

    protected TargetSchemaTranslator(TargetDialect dialect, TypeMap types) {
        this.dialect = dialect;
        this.types = types;
    }

    @Override
    public String columnType(SourceColumn column) {
        return types.targetType(column);
    }

    @Override
    public List<String> createTable(SourceTable table) {
        return inTable(table.id(), () -> {
            if (table.primaryKey().isEmpty()) {
                throw new UntranslatableDdlException("it has no primary key, which Ferry needs to apply changes;"
                        + " add one at the source or exclude the table");
            }
            StringJoiner parts = new StringJoiner(", ");
            for (SourceColumn c : table.columns()) {
                parts.add(columnDefinition(table, c));
            }
            for (SourceColumn c : table.columns()) {
                if (isEnum(c)) {
                    parts.add("CONSTRAINT " + checkName(table.id(), c) + " " + enumCheck(c));
                }
            }
            parts.add("PRIMARY KEY (" + quotedList(table.primaryKey()) + ")");
            return List.of("CREATE TABLE " + dialect.quoteTable(table.id()) + " (" + parts + ")");
        });
    }

    @Override
    public List<String> alterTable(SourceTable after, TargetTable current) {
        return inTable(after.id(), () -> {
            List<String> wantedKey = after.primaryKey().stream().map(dialect::targetName).toList();
            if (!wantedKey.equals(current.primaryKey())) {
                throw new UntranslatableDdlException("the primary key changes from " + current.primaryKey() + " to "
                        + wantedKey + ", which Ferry does not translate; change the target table by hand");
            }
            Map<String, TargetColumn> existing = new HashMap<>();
            current.columns().forEach(c -> existing.put(c.name(), c));
            Set<String> wanted = after.columns().stream().map(c -> dialect.targetName(c.name()))
                    .collect(Collectors.toSet());
            List<SourceColumn> added = after.columns().stream()
                    .filter(c -> !existing.containsKey(dialect.targetName(c.name()))).toList();
            List<String> dropped = current.columns().stream().map(TargetColumn::name)
                    .filter(n -> !wanted.contains(n)).toList();
            if (!added.isEmpty() && !dropped.isEmpty()) {
                throw new UntranslatableDdlException("the change adds " + added.stream().map(SourceColumn::name).toList()
                        + " and drops " + dropped + ", which may be a rename; apply it at the target by hand");
            }
            String table = dialect.quoteTable(after.id());
            List<String> statements = new ArrayList<>();
            for (String name : dropped) {
                statements.add("ALTER TABLE " + table + " DROP COLUMN " + quoteVerbatim(name));
            }
            for (SourceColumn c : added) {
                statements.add(addColumn(table, columnDefinition(after, c)));
            }
            for (SourceColumn c : after.columns()) {
                TargetColumn now = existing.get(dialect.targetName(c.name()));
                if (now == null) {
                    continue;
                }
                String column = dialect.quoteIdentifier(c.name());
                String type = columnType(c);
                boolean retyped = !type.equals(now.type());
                if (retyped) {
                    statements.add(modifyType(table, column, now.type(), type, c));
                }
                boolean nullable = targetNullable(c, after);
                if (nullable != now.nullable()) {
                    statements.add(modifyNullable(table, column, nullable));
                }
                if (retyped || isEnum(c)) {
                    // the catalog shows no value list: an ENUM's CHECK is always rebuilt, a former ENUM's dropped
                    statements.add(dropCheck(table, checkName(after.id(), c)));
                }
            }
            for (SourceColumn c : after.columns()) {
                if (isEnum(c)) {
                    statements.add("ALTER TABLE " + table + " ADD CONSTRAINT " + checkName(after.id(), c) + " "
                            + enumCheck(c));
                }
            }
            return statements;
        });
    }

    @Override
    public List<String> dropTable(TableId table) {
        return List.of("DROP TABLE " + dialect.quoteTable(table));
    }

    @Override
    public List<String> truncateTable(TableId table) {
        return List.of("TRUNCATE TABLE " + dialect.quoteTable(table));
    }

    /** Within one schema only: neither target moves a table to another schema by renaming it. */
    @Override
    public List<String> renameTable(TableId from, TableId to) {
        if (!dialect.targetName(from.database()).equals(dialect.targetName(to.database()))) {
            throw new UntranslatableDdlException("Renaming table " + from + " to " + to + " moves it to another"
                    + " database, which " + dialect.name() + " cannot do with a rename; move the table at the target"
                    + " by hand");
        }
        return List.of("ALTER TABLE " + dialect.quoteTable(from) + " RENAME TO " + dialect.quoteIdentifier(to.table()));
    }

    /**
     * Target index names are per schema, MySQL's per table: index {@code i} of table {@code t} is named
     * {@code t_i}, shortened with a hash when longer than the identifier limit.
     */
    @Override
    public List<String> indexDelta(TableId table, String delta) {
        List<String> statements = new ArrayList<>();
        for (IndexChange change : IndexChange.parse(table, delta)) {
            String name = indexName(table, change.name());
            if (!change.add()) {
                statements.add("DROP INDEX " + dialect.quoteIdentifier(table.database()) + "." + quoteVerbatim(name));
                continue;
            }
            StringJoiner columns = new StringJoiner(", ");
            for (IndexChange.Part p : change.columns()) {
                columns.add(dialect.quoteIdentifier(p.column()) + (p.descending() ? " DESC" : ""));
            }
            statements.add("CREATE " + (change.unique() ? "UNIQUE " : "") + "INDEX " + createIndexName(table, name)
                    + " ON " + dialect.quoteTable(table) + " (" + columns + ")");
        }
        return statements;
    }

    /** The target name of MySQL index {@code index} of {@code table}, unquoted. */
    public String indexName(TableId table, String index) {
        return dialect.names().derived(table.table(), index);
    }

    /** The index name as CREATE INDEX takes it (PostgreSQL: unqualified; Oracle: schema-qualified). */
    protected abstract String createIndexName(TableId table, String name);

    protected abstract String addColumn(String table, String definition);

    protected abstract String modifyType(String table, String column, String fromType, String toType, SourceColumn c);

    protected abstract String modifyNullable(String table, String column, boolean nullable);

    /** Drops a CHECK constraint; one that does not exist is no error (or an {@link #isAlreadySatisfied} one). */
    protected abstract String dropCheck(String table, String name);

    /** Whether the target column may hold NULL. */
    protected boolean targetNullable(SourceColumn c, SourceTable table) {
        return c.nullable();
    }

    /** A column constraint after the definition, such as Oracle's {@code CHECK (c IS JSON)}. */
    protected String columnConstraint(SourceColumn c) {
        return "";
    }

    /** The target's current time for a column of a target type, or null if it has none. */
    protected abstract String currentTimestamp(String targetType);

    /** A literal default for a column of a target type, escaped. */
    protected String literalDefault(SourceColumn c, String targetType, String value) {
        return isNumeric(c) && NUMBER.matcher(value).matches() ? value : literal(value);
    }

    protected String columnDefinition(SourceTable table, SourceColumn c) {
        String type = columnType(c);
        return dialect.quoteIdentifier(c.name()) + " " + type + defaultClause(c, type)
                + (targetNullable(c, table) ? "" : " NOT NULL") + columnConstraint(c);
    }

    private String defaultClause(SourceColumn c, String type) {
        if (!c.hasDefault() || (c.defaultValue() == null && !c.defaultIsExpression())) {
            return "";
        }
        if (c.defaultIsExpression()) {
            String now = NOW.matcher(c.defaultValue().strip()).matches() ? currentTimestamp(type) : null;
            if (now == null) {
                throw TypeMap.refuse(c, "the default expression " + c.defaultValue() + " has no faithful form in "
                        + dialect.name());
            }
            return " DEFAULT " + now;
        }
        String value = c.defaultValue();
        if (value.startsWith("0000-00-00")) {
            throw TypeMap.refuse(c, "the zero date default " + value + " has no form in " + dialect.name());
        }
        if (c.typeName().equals("BIT")) {
            var bit = BIT_LITERAL.matcher(value);
            if (MySqlTypes.length(c, 1) != 1 || !bit.matches()) {
                throw TypeMap.refuse(c, "the default " + value + " of a BIT column is not translated");
            }
            value = bit.group(1) != null ? bit.group(1) : value;
        }
        return " DEFAULT " + literalDefault(c, type, value);
    }

    /** Types whose literal default is written as a bare number (BIT(1) is not: PostgreSQL's boolean takes '1', not 1). */
    protected static boolean isNumeric(SourceColumn c) {
        return switch (c.typeName()) {
            case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT", "DECIMAL", "NUMERIC", "FLOAT",
                    "DOUBLE", "REAL", "YEAR", "BOOLEAN", "BOOL" -> true;
            default -> false;
        };
    }

    protected static boolean isEnum(SourceColumn c) {
        return c.typeName().equals("ENUM");
    }

    private String checkName(TableId table, SourceColumn c) {
        return quoteVerbatim(enumCheckName(table, c.name()));
    }

    /**
     * The name of the CHECK listing an ENUM column's values, unquoted. The {@code _enum} suffix keeps it apart
     * from CHECKs made at the target (PostgreSQL names those {@code <table>_<column>_check}).
     */
    protected abstract String enumCheckName(TableId table, String column);

    private String enumCheck(SourceColumn c) {
        StringJoiner values = new StringJoiner(", ");
        c.enumValues().forEach(v -> values.add(literal(v)));
        return "CHECK (" + dialect.quoteIdentifier(c.name()) + " IN (" + values + "))";
    }

    private String quotedList(List<String> sourceNames) {
        StringJoiner list = new StringJoiner(", ");
        sourceNames.forEach(n -> list.add(dialect.quoteIdentifier(n)));
        return list.toString();
    }

    /** Runs a translation, naming the table in any refusal. */
    private static List<String> inTable(TableId table, Supplier<List<String>> translation) {
        try {
            return translation.get();
        } catch (UntranslatableDdlException e) {
            throw new UntranslatableDdlException("Table `" + table.database() + "`.`" + table.table() + "`: "
                    + e.getMessage());
        }
    }
}
