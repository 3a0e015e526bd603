package dev.ferry.dialect.schema;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The target type of each MySQL type: one small {@link Rule} per MySQL base type, so that each entry can be
 * read and tested on its own. A type without an entry (GEOMETRY and the other spatial types, anything
 * unknown) has no faithful form and is refused.
 */
public final class TypeMap implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The target type of one column of a given MySQL type, in the spelling of the target's catalog. */
    @FunctionalInterface
    public interface Rule extends Serializable {
        String targetType(SourceColumn column);
    }

    /** MySQL's other names for a type, as a parser may report them. */
    private static final Map<String, String> ALIASES = Map.of(
            "INTEGER", "INT", "BOOL", "BOOLEAN", "DEC", "DECIMAL", "NUMERIC", "DECIMAL", "FIXED", "DECIMAL",
            "REAL", "DOUBLE", "DOUBLE PRECISION", "DOUBLE", "CHARACTER", "CHAR", "NCHAR", "CHAR",
            "NVARCHAR", "VARCHAR");

    private final String target;
    private final Map<String, Rule> rules;

    private TypeMap(String target, Map<String, Rule> rules) {
        this.target = target;
        this.rules = Map.copyOf(rules);
    }

    public static Builder builder(String target) {
        return new Builder(target);
    }

    /** The MySQL base types this map translates. */
    public Set<String> sourceTypes() {
        return rules.keySet();
    }

    public String targetType(SourceColumn column) {
        String type = ALIASES.getOrDefault(column.typeName(), column.typeName());
        Rule rule = rules.get(type);
        if (rule == null) {
            throw refuse(column, target + " has no faithful type for it");
        }
        return rule.targetType(column);
    }

    /** The error for a column that cannot be translated, naming the column, its type, the reason and the fix. */
    public static UntranslatableDdlException refuse(SourceColumn column, String reason) {
        return new UntranslatableDdlException("Column `" + column.name() + "` of type " + column.typeName()
                + (column.unsigned() ? " UNSIGNED" : "") + (column.length() >= 0 ? "(" + column.length() + ")" : "")
                + ": " + reason + "; exclude the table from the channel, or create the column at the target by hand"
                + " and skip this change");
    }

    public static final class Builder {
        private final String target;
        private final Map<String, Rule> rules = new LinkedHashMap<>();

        private Builder(String target) {
            this.target = target;
        }

        public Builder map(String mysqlType, Rule rule) {
            if (rules.put(mysqlType, rule) != null) {
                throw new IllegalStateException("two rules for " + mysqlType);
            }
            return this;
        }

        /** The same rule for several MySQL types. */
        public Builder map(Rule rule, String... mysqlTypes) {
            for (String t : mysqlTypes) {
                map(t, rule);
            }
            return this;
        }

        public TypeMap build() {
            return new TypeMap(target, rules);
        }
    }
}
