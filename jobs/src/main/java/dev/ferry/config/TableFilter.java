package dev.ferry.config;

import java.io.ObjectStreamException;
import dev.ferry.common.TableId;
import dev.ferry.common.TableScope;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Which tables a channel replicates: the {@code tables} block of a channel file.
 *
 * <h2>Keys</h2>
 * <ul>
 *   <li>{@code include} (required, a list with at least one entry) &mdash; Java regular expressions;
 *       a table is replicated if its qualified name matches at least one of them.</li>
 *   <li>{@code exclude} (optional, default: empty list) &mdash; Java regular expressions; a table
 *       matching any of them is not replicated, even if it is included.</li>
 * </ul>
 *
 * <p>Each expression is matched against the whole qualified name {@code <database>.<table>} (exactly
 * as MySQL reports the names, unquoted, without backticks, case-sensitive) with
 * {@link java.util.regex.Matcher#matches()}, i.e. it must match the entire name, not just a part of it.
 * Escape the dot between database and table ({@code 'shop\..*'}), and use single quotes in YAML so that
 * backslashes are kept as written. Names may contain any character, e.g. {@code shop.order items}.
 *
 * <pre>{@code
 * tables:
 *   include: ['shop\..*', 'crm\.customers']
 *   exclude: ['shop\.tmp_.*']
 * }</pre>
 */
public final class TableFilter implements Serializable, TableScope {
    private static final long serialVersionUID = 1L;

    private final List<String> include;
    private final List<String> exclude;
    private final transient List<Pattern> includeCompiled;
    private final transient List<Pattern> excludeCompiled;
    /** Each table's answer: the expressions are matched once per table, not once per row. */
    private final transient Map<TableId, Boolean> answers = new ConcurrentHashMap<>();
    /** Beyond this many tables the answers are forgotten (short-lived tables with new names each time). */
    private static final int MAX_ANSWERS = 10_000;

    private TableFilter(List<String> include, List<String> exclude) {
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        this.includeCompiled = this.include.stream().map(Pattern::compile).toList();
        this.excludeCompiled = this.exclude.stream().map(Pattern::compile).toList();
    }

    /**
     * Creates a filter.
     *
     * @throws java.util.regex.PatternSyntaxException if an expression is invalid
     */
    public static TableFilter of(List<String> include, List<String> exclude) {
        return new TableFilter(include, exclude);
    }

    @Override
    public boolean includes(TableId table) {
        Boolean known = answers.get(table);
        if (known != null) {
            return known;
        }
        if (answers.size() >= MAX_ANSWERS) {
            answers.clear();
        }
        boolean included = includes(table.database(), table.table());
        answers.put(table, included);
        return included;
    }

    /** True if {@code db.table} matches some include expression and no exclude expression. */
    public boolean includes(String db, String table) {
        return includes(db + "." + table);
    }

    /** True if {@code qualifiedName} ({@code db.table}) matches some include and no exclude expression. */
    public boolean includes(String qualifiedName) {
        return matchesAny(includeCompiled, qualifiedName) && !matchesAny(excludeCompiled, qualifiedName);
    }

    /** An include expression's database part, if it is a plain name: {@code shop} of {@code 'shop\..*'}. */
    private static final Pattern LITERAL_DATABASE = Pattern.compile("((?:[A-Za-z0-9_$]|\\\\[^A-Za-z0-9.])+)\\\\\\..*");

    /**
     * The databases the include expressions name literally (such as {@code shop} in {@code 'shop\..*'}), known
     * without reading a server: before its grants, Ferry's user may see none of their tables.
     */
    public java.util.Set<String> literalDatabases() {
        java.util.Set<String> databases = new java.util.TreeSet<>();
        include.forEach(p -> literalDatabase(p).ifPresent(databases::add));
        return databases;
    }

    /** The database an include expression names literally, if it does. */
    public static java.util.Optional<String> literalDatabase(String expression) {
        java.util.regex.Matcher m = LITERAL_DATABASE.matcher(expression);
        return m.matches() ? java.util.Optional.of(m.group(1).replaceAll("\\\\(.)", "$1"))
                : java.util.Optional.empty();
    }

    private static boolean matchesAny(List<Pattern> patterns, String name) {
        for (Pattern p : patterns) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The include expressions, as written. */
    public List<String> includePatterns() {
        return include;
    }

    /** The exclude expressions, as written (may be empty). */
    public List<String> excludePatterns() {
        return exclude;
    }

    private Object readResolve() throws ObjectStreamException {
        return new TableFilter(include, exclude);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableFilter other && include.equals(other.include) && exclude.equals(other.exclude);
    }

    @Override
    public int hashCode() {
        return 31 * include.hashCode() + exclude.hashCode();
    }

    @Override
    public String toString() {
        return "TableFilter[include=" + include + ", exclude=" + exclude + "]";
    }
}
