package dev.ferry.config;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One replication direction (one Flink job): an entry of the {@code directions} list.
 *
 * <h2>Keys</h2>
 * <ul>
 *   <li>{@code from} (required) &mdash; the source site, a key of {@code sites}; its binlog is read.</li>
 *   <li>{@code to} (required) &mdash; the target site, a key of {@code sites}; must differ from
 *       {@code from}.</li>
 *   <li>{@code startup} (optional) &mdash; where a new job starts when there is no checkpoint/savepoint
 *       to resume from: {@code initial} takes a consistent snapshot of the included tables and then
 *       continues with the binlog; {@code latest} reads only changes made from now on (use it when the
 *       target already holds the data). Only directions from one site, the source of the first
 *       direction listed (the seeding site), may use {@code initial}, and for them it is the default;
 *       every other direction defaults to, and must use, {@code latest}. Snapshot rows carry no stamp, so
 *       a second snapshot source could overwrite changes that arrived from the seeding site meanwhile.</li>
 *   <li>{@code name} (optional, default {@code <from>-><to>}, e.g. {@code sh->us}) &mdash; the name of the
 *       direction, used for job names and on the command line. Letters, digits, {@code _ - . >}, at
 *       most 80 characters.</li>
 * </ul>
 * A channel file needs at least one direction; the same {@code from}/{@code to} pair and the same name
 * may appear only once. For two-way replication list both directions.
 *
 * <p>{@link #serverIdRange()} is the MySQL replica server id range the binlog reader of this direction
 * uses (see {@code server-id} in {@link SiteConfig}).
 *
 * @param name the direction name
 * @param from source site name
 * @param to target site name
 * @param startup where to start without a checkpoint
 * @param serverIdRange resolved server id range, {@code "<start>-<end>"}, e.g. {@code "5400-5400"}
 */
public record DirectionConfig(String name, String from, String to, Startup startup, String serverIdRange)
        implements Serializable {

    /** What a direction's name may be. */
    static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.>-]{1,80}");

    public DirectionConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(startup, "startup");
        Objects.requireNonNull(serverIdRange, "serverIdRange");
    }

    /** The default name of a direction, {@code <from>-><to>}. */
    public static String defaultName(String from, String to) {
        return from + "->" + to;
    }

    /** First server id of {@link #serverIdRange()}. */
    public long serverIdStart() {
        return Long.parseLong(serverIdRange.substring(0, serverIdRange.indexOf('-')));
    }

    /** Last server id of {@link #serverIdRange()} (inclusive). */
    public long serverIdEnd() {
        return Long.parseLong(serverIdRange.substring(serverIdRange.indexOf('-') + 1));
    }

    /** Values of {@code startup}. */
    public enum Startup {
        /** Snapshot of the included tables, then the binlog. */
        INITIAL,
        /** Only the binlog, from the current position. */
        LATEST;

        /** The spelling used in channel files ({@code initial}, {@code latest}). */
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
