package dev.ferry.dialect.schema;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * How MySQL names are spelled at a target: the {@link IdentifierCase} and the target's identifier length
 * limit in bytes. A MySQL name that is too long is refused (silently shortening it could make two names
 * collide); a name Ferry derives itself (index, constraint) is shortened with a hash instead.
 */
public final class TargetNames implements Serializable {
    private static final long serialVersionUID = 1L;

    private final IdentifierCase identifierCase;
    private final int maxBytes;
    private final String database;

    /**
     * @param database the target's name for error messages, such as "Oracle"
     * @param maxBytes the longest identifier the target accepts, in UTF-8 bytes
     */
    public TargetNames(IdentifierCase identifierCase, int maxBytes, String database) {
        this.identifierCase = Objects.requireNonNull(identifierCase, "identifierCase");
        if (maxBytes < 16) {
            throw new IllegalArgumentException("identifier limit " + maxBytes + " is too small (at least 16 bytes)");
        }
        this.maxBytes = maxBytes;
        this.database = database;
    }

    public IdentifierCase identifierCase() {
        return identifierCase;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** The target spelling of a MySQL name; refuses a name longer than the limit. */
    public String of(String sourceName) {
        String name = cased(sourceName);
        if (bytes(name) > maxBytes) {
            throw new UntranslatableDdlException("The name '" + name + "' is " + bytes(name) + " bytes long but "
                    + database + " accepts at most " + maxBytes + " bytes: exclude its table from the channel or"
                    + " rename it at the source");
        }
        return name;
    }

    /**
     * A name Ferry makes up from parts joined by {@code _}, such as {@code <table>_<index>}. Too long a
     * name keeps its start and ends in 8 hex digits of a hash of the whole name, so it stays unique.
     */
    public String derived(String... parts) {
        String name = cased(String.join("_", parts));
        if (bytes(name) <= maxBytes) {
            return name;
        }
        String hash = String.format("_%08x", name.hashCode());
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            String next = new String(Character.toChars(cp));
            if (bytes(head + next) + hash.length() > maxBytes) {
                break;
            }
            head.append(next);
            i += Character.charCount(cp);
        }
        return head + hash;
    }

    private String cased(String name) {
        return switch (identifierCase) {
            case PRESERVE -> name;
            case UPPER -> name.toUpperCase(Locale.ROOT);
            case LOWER -> name.toLowerCase(Locale.ROOT);
        };
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
