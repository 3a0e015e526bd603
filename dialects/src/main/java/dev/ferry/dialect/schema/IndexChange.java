package dev.ferry.dialect.schema;

import dev.ferry.common.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of Ferry's index-change text ({@link dev.ferry.common.IndexDelta}): {@code DROP `name`} or
 * {@code ADD [UNIQUE] INDEX `name` (`c1`, `c2` DESC)}. Only what PostgreSQL and Oracle can build faithfully
 * is accepted: FULLTEXT, SPATIAL, prefix lengths and expression parts are refused.
 *
 * @param columns for ADD, the columns in order; empty for DROP
 */
public record IndexChange(boolean add, String name, boolean unique, List<Part> columns) {

    /** One indexed column. */
    public record Part(String column, boolean descending) {}

    private static final String NAME = "`((?:[^`]|``)+)`";
    private static final Pattern DROP = Pattern.compile("DROP\\s+(?:INDEX\\s+|KEY\\s+)?" + NAME, Pattern.CASE_INSENSITIVE);
    private static final Pattern ADD = Pattern.compile(
            "ADD\\s+(UNIQUE\\s+|FULLTEXT\\s+|SPATIAL\\s+)?(?:INDEX|KEY)\\s+" + NAME + "\\s*\\((.*)\\)"
                    + "(?:\\s+USING\\s+(?:BTREE|HASH))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern PART = Pattern.compile(NAME + "\\s*(\\(\\s*\\d+\\s*\\))?(?:\\s+(ASC|DESC))?",
            Pattern.CASE_INSENSITIVE);

    /** Every line of a delta, in order; blank lines are skipped. */
    public static List<IndexChange> parse(TableId table, String delta) {
        List<IndexChange> changes = new ArrayList<>();
        for (String line : delta.split("\n")) {
            if (!line.isBlank()) {
                changes.add(parseLine(table, line.strip()));
            }
        }
        return changes;
    }

    static IndexChange parseLine(TableId table, String line) {
        Matcher drop = DROP.matcher(line);
        if (drop.matches()) {
            return new IndexChange(false, primaryChecked(table, unquote(drop.group(1)), line), false, List.of());
        }
        Matcher add = ADD.matcher(line);
        if (!add.matches()) {
            throw refuse(table, line, "it is not an index change Ferry can read (a primary key change or an"
                    + " unknown form)");
        }
        String kind = add.group(1) == null ? "" : add.group(1).strip().toUpperCase();
        if (kind.equals("FULLTEXT") || kind.equals("SPATIAL")) {
            throw refuse(table, line, kind + " indexes have no faithful form in the target");
        }
        List<Part> parts = new ArrayList<>();
        for (String part : splitTopLevel(add.group(3))) {
            Matcher p = PART.matcher(part.strip());
            if (!p.matches()) {
                throw refuse(table, line, "the index part '" + part.strip() + "' is an expression");
            }
            if (p.group(2) != null) {
                throw refuse(table, line, "the prefix length " + p.group(2).strip() + " on `" + unquote(p.group(1))
                        + "` has no faithful form (a target index holds whole values)");
            }
            parts.add(new Part(unquote(p.group(1)), "DESC".equalsIgnoreCase(p.group(3))));
        }
        return new IndexChange(true, primaryChecked(table, unquote(add.group(2)), line), kind.equals("UNIQUE"), parts);
    }

    private static String primaryChecked(TableId table, String name, String line) {
        if (name.equalsIgnoreCase("PRIMARY")) {
            throw refuse(table, line, "it changes the primary key");
        }
        return name;
    }

    /** Splits at commas outside backticks and parentheses. */
    private static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '`') {
                quoted = !quoted;
            } else if (!quoted && ch == '(') {
                depth++;
            } else if (!quoted && ch == ')') {
                depth--;
            } else if (!quoted && depth == 0 && ch == ',') {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static String unquote(String name) {
        return name.replace("``", "`");
    }

    private static UntranslatableDdlException refuse(TableId table, String line, String reason) {
        return new UntranslatableDdlException("Index change '" + line + "' on table `" + table.database() + "`.`"
                + table.table() + "`: " + reason + "; create the index at the target by hand (or leave it out)");
    }
}
