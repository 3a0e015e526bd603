package dev.ferry.config;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A resolved secret (a database password or a trust-store password).
 *
 * <p>The value is kept in memory so that the configuration can be shipped to Flink task managers with
 * Java serialization, but it is never printed: {@link #toString()} always returns {@value #MASK}, so a
 * secret cannot leak through logs, exception messages or the Flink web UI by accident. Only the JDBC
 * layer should call {@link #reveal()}.
 *
 * <h2>How secrets are written in a channel file</h2>
 * A secret key (for example {@code password} or {@code tls.trust-store-password}) accepts only a
 * reference, never the secret itself:
 * <ul>
 *   <li>{@code "${env:NAME}"} &mdash; the value of environment variable {@code NAME} (it must be set
 *       and non-empty);</li>
 *   <li>{@code "${file:/path/to/file}"} &mdash; the content of the file, with trailing line breaks
 *       removed;</li>
 *   <li>or the sibling {@code ...-file} key (for example {@code password-file: /path/to/file}), which
 *       reads a file in the same way.</li>
 * </ul>
 * Literal secrets are rejected because the channel file ends up in job parameters. Relative file
 * paths are resolved against the working directory of the process that parses the file. A secret must
 * not be empty.
 */
public final class Secret implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What {@link #toString()} prints instead of the secret. */
    public static final String MASK = "******";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** Wraps a secret value (for tests and for code that obtains secrets elsewhere). */
    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The secret in clear text. Call only where the value is actually needed (the JDBC connection). */
    public String reveal() {
        return value;
    }

    /** Always {@value #MASK}. */
    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
