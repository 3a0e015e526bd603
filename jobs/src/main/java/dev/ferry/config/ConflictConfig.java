package dev.ferry.config;

import dev.ferry.conflict.ConflictRules;
import dev.ferry.conflict.TableConflictRule;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How conflicts are resolved: the optional {@code conflicts} block of a channel file.
 *
 * <pre>{@code
 * conflicts:
 *   default: { priority: sh }
 *   tables:
 *     - { match: 'shop\.orders', newer-wins: updated_at, compare: version }
 *     - { match: 'shop\.audit_.*', policy: target-wins }
 * }</pre>
 *
 * <h2>Keys</h2>
 * <ul>
 *   <li>{@code default} (optional, default {@code priority: <first site>}) &mdash; the rule of every table
 *       that no {@code tables} entry matches.</li>
 *   <li>{@code tables} (optional list, default none) &mdash; rules for some tables; the first entry whose
 *       {@code match} (a Java regex matched against the whole {@code database.table}) fits wins.</li>
 * </ul>
 * A rule ({@code default} or a {@code tables} entry) has exactly one of
 * <ul>
 *   <li>{@code priority: <site>} &mdash; that site's version wins; the site must be listed under {@code sites};</li>
 *   <li>{@code newer-wins: <column>} &mdash; the version with the greater value in that column wins (ties go to
 *       the home site);</li>
 *   <li>{@code policy: source-wins | target-wins | manual} &mdash; the incoming change wins, the target row
 *       stays, or the target row stays and the conflict waits for an operator,</li>
 * </ul>
 * and optionally {@code compare: all} (the default: a change conflicts when any column of the target row
 * differs from its before image) or {@code compare: version} (only the key and the {@code newer-wins}
 * column are compared; only with {@code newer-wins}).
 *
 * @param defaultRule the rule of tables that no entry matches
 * @param tables the {@code tables} entries, in file order
 */
public record ConflictConfig(TableConflictRule defaultRule, List<TableRule> tables) implements Serializable {
    /** One entry of {@code conflicts.tables}: a regex on {@code database.table} and its rule. */
    public record TableRule(String match, TableConflictRule rule) implements Serializable {
        public TableRule {
            Objects.requireNonNull(match, "match");
            Objects.requireNonNull(rule, "rule");
        }
    }

    public ConflictConfig {
        Objects.requireNonNull(defaultRule, "defaultRule");
        tables = List.copyOf(tables);
    }

    /** The rules of a direction reading {@code sourceSite}, with {@code homeSite} as the channel's home site. */
    public ConflictRules rules(String sourceSite, String homeSite) {
        return new ConflictRules(defaultRule,
                tables.stream().map(t -> new ConflictRules.TableMatch(Pattern.compile(t.match()), t.rule())).toList(),
                sourceSite, homeSite);
    }
}
