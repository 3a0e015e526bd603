package dev.ferry.testing;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The databases (Oracle: schemas) that tests create, named prefix + "_" + a number not used before in this JVM,
 * so that tests sharing a server do not meet.
 */
final class NumberedNames {

    private final String what;
    private final Pattern prefixes;
    private final AtomicInteger sequence = new AtomicInteger();

    /** @param what "database" or "schema", for messages; {@code prefixes} the prefixes that keep names valid */
    NumberedNames(String what, Pattern prefixes) {
        this.what = what;
        this.prefixes = prefixes;
    }

    /**
     * Creates one on {@code db} and returns its name: {@code create} gives the statement for a name, and
     * {@code exists} tells a taken name, for which the next number is tried.
     */
    String create(TestDatabase db, String prefix, Function<String, String> create, Predicate<SQLException> exists) {
        if (prefix == null || !prefixes.matcher(prefix).matches()) {
            throw new IllegalArgumentException(what + " prefix '" + prefix + "' must match " + prefixes.pattern());
        }
        return Jdbc.createNumbered(db, prefix, sequence::incrementAndGet, create, exists);
    }
}
