package dev.ferry.job;

import dev.ferry.compat.ShadowingCopy;
import dev.ferry.compat.dbz2663.CompressedTransactionGuard;
import dev.ferry.compat.tableschema.TableSchemaGuard;
import dev.ferry.job.identity.SourceIdentityGuard;
import java.util.Optional;

/**
 * Turns the failures Flink reports for a direction job into messages that say what is wrong and
 * how to fix it. Returns empty for failures it does not recognise.
 */
public final class FailureMessages {
    /** Flink's words for a savepoint or checkpoint with state of an operator the job no longer has. */
    private static final String UNMAPPED_STATE = "Cannot map checkpoint/savepoint state for operator";

    private FailureMessages() {}

    /** A failure that restarting cannot cure: the runner stops the direction instead of looping. */
    public static boolean isFatal(String failure) {
        return failure != null && (failure.contains("is no longer available on the server")
                || failure.contains("Could not find first log file name in binary log index file")
                || failure.contains("has no primary key")
                || failure.contains(CompressedTransactionGuard.MARKER)
                || failure.contains(TableSchemaGuard.MARKER)
                || failure.contains(ShadowingCopy.MARKER)
                || failure.contains(UNMAPPED_STATE)
                || failure.contains(SourceIdentityGuard.REFUSAL));
    }

    public static Optional<String> explain(String direction, String site, String failure) {
        if (failure == null) {
            return Optional.empty();
        }
        if (failure.contains("is no longer available on the server")
                || failure.contains("Could not find first log file name in binary log index file")) {
            return Optional.of(direction + ": the binlog position this direction stopped at has been purged at site '"
                    + site + "', so it cannot resume without losing changes. Fix: raise binlog_expire_logs_seconds"
                    + " (MariaDB: expire_logs_days) so binlogs outlive Ferry's downtime; to start over, move this"
                    + " direction's state directory aside and run again with 'startup: initial' (a fresh snapshot).");
        }
        if (failure.contains(CompressedTransactionGuard.MARKER)) {
            String cause = rootCause(failure);
            return Optional.of(direction + ": at site '" + site + "', " + cause.substring(cause.indexOf("the binlog"))
                    + " Fix: SET PERSIST binlog_transaction_compression = OFF at '" + site + "' and make sure no"
                    + " session turns it on; the compressed transaction stays in the binlog, so move this direction's"
                    + " state directory aside and start it again with 'startup: initial' (a fresh copy), or with"
                    + " 'latest' followed by 'ferry verify --repair'.");
        }
        if (failure.contains(TableSchemaGuard.MARKER) && failure.contains(TableSchemaGuard.ALTERED)) {
            String cause = rootCause(failure);
            return Optional.of(direction + ": at site '" + site + "', " + cause.substring(cause.indexOf("the binlog"))
                    + " Fix: the direction's saved schema of the table cannot be corrected in place. Run the statement"
                    + " at the target as well (the reader's log names it; one run with sql_log_bin = 0 was not in the"
                    + " binlog), then either leave the table out of the"
                    + " channel with 'tables.exclude' and start the direction again, or move this direction's state"
                    + " directory aside and start it again with 'startup: initial' (a fresh copy), or with 'latest'"
                    + " followed by 'ferry verify --repair'. Next time, leave out the clause the parser refuses (MariaDB:"
                    + " IF EXISTS, WAIT/NOWAIT, COMPRESSED; MySQL: NOT ENFORCED, SRID, ENGINE_ATTRIBUTE).");
        }
        if (failure.contains(TableSchemaGuard.MARKER)) {
            String cause = rootCause(failure);
            return Optional.of(direction + ": at site '" + site + "', " + cause.substring(cause.indexOf("the binlog"))
                    + " Fix: leave the table out of the channel with 'tables.exclude' and start the direction again"
                    + " (its rows stay at '" + site + "'), or give it a definition the reader can parse (for MariaDB:"
                    + " no COMPRESSED columns or system versioning); then 'ferry verify --repair' brings over the rows"
                    + " it missed.");
        }
        if (failure.contains(ShadowingCopy.MARKER)) {
            String line = messageOfLineWith(failure, ShadowingCopy.MARKER);
            String thrown = IllegalStateException.class.getName() + ": ";
            return Optional.of(direction + ": "
                    + (line.contains(thrown) ? line.substring(line.indexOf(thrown) + thrown.length()) : line));
        }
        if (failure.contains(SourceIdentityGuard.REFUSAL)) {
            return Optional.of(direction + ": " + messageOfLineWith(failure, SourceIdentityGuard.REFUSAL));
        }
        if (failure.contains("Access denied")) {
            return Optional.of(direction + ": access denied: " + firstLine(failure)
                    + ". Fix: check the user's password and grants (see docs/operations.md, 'Privileges').");
        }
        if (failure.contains("Communications link failure") || failure.contains("Connection refused")) {
            return Optional.of(direction + ": a database is unreachable: " + firstLine(failure)
                    + ". Ferry keeps retrying with backoff; no change is lost while it waits.");
        }
        if (failure.contains(UNMAPPED_STATE)) {
            return Optional.of(direction + ": its saved state cannot be restored: it holds state of an operator"
                    + " this Ferry does not have, such as the sink of a Ferry from before the keyed apply operator"
                    + " (uid 'ferry-sink'). Nothing was applied from it. Fix: move this direction's state directory"
                    + " aside and start the direction again with 'startup: initial' (or 'latest' once the sites"
                    + " are known to be equal); see docs/operations.md, 'Upgrading with savepoints'.");
        }
        if (failure.contains("has no primary key")) {
            return Optional.of(firstLine(failure));
        }
        return Optional.empty();
    }

    /**
     * The innermost cause of a failure printed with its stack trace (the last "Caused by:"), first line
     * only, e.g. "java.sql.SQLException: ..." rather than Flink's "One or more fetchers have encountered
     * exception".
     */
    public static String rootCause(String failure) {
        int at = failure.lastIndexOf("\nCaused by: ");
        return at < 0 ? firstLine(failure).strip() : firstLine(failure.substring(at + "\nCaused by: ".length())).strip();
    }

    /** The message on the first line that holds {@code words}, without the exception class before it. */
    private static String messageOfLineWith(String failure, String words) {
        String line = failure.lines().filter(l -> l.contains(words)).findFirst().orElse(words);
        int at = line.indexOf(words);
        int start = line.lastIndexOf(FerryException.class.getSimpleName() + ": ", at);
        return (start < 0 ? line : line.substring(start + FerryException.class.getSimpleName().length() + 2)).strip();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
