package dev.ferry.config;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How changes are applied to the target site: the optional {@code apply} block of a channel file.
 *
 * <h2>Keys</h2>
 * <ul>
 *   <li>{@code mode} (optional, default {@code transactional}) &mdash; {@code transactional}: source
 *       transactions are applied one after another, each as one target transaction, in commit order;
 *       {@code parallel}: changes are applied by several writers at once, partitioned by primary
 *       key (higher throughput, but transaction boundaries are not preserved on the target); one-way
 *       channels only (ChannelConfigParser refuses it in a two-way channel).</li>
 *   <li>{@code parallelism} (optional, integer &ge; 1, default {@value #DEFAULT_PARALLELISM}) &mdash;
 *       number of parallel writers; only used when {@code mode} is {@code parallel}.</li>
 *   <li>{@code batch-size} (optional, integer &ge; 1, default {@value #DEFAULT_BATCH_SIZE}) &mdash;
 *       maximum number of row changes sent to the target in one JDBC batch.</li>
 * </ul>
 *
 * @param mode how changes are applied
 * @param parallelism number of writers for {@link Mode#PARALLEL}
 * @param batchSize maximum rows per JDBC batch
 */
public record ApplyConfig(Mode mode, int parallelism, int batchSize) implements Serializable {
    /** The keys of the {@code apply} block, as {@link FileShape.Apply} binds them. */
    static final List<String> KEYS = FileShape.keysOf(FileShape.Apply.class);

    public static final int DEFAULT_PARALLELISM = 4;
    public static final int DEFAULT_BATCH_SIZE = 1000;

    /** The configuration used when the {@code apply} block is absent. */
    public static final ApplyConfig DEFAULT =
            new ApplyConfig(Mode.TRANSACTIONAL, DEFAULT_PARALLELISM, DEFAULT_BATCH_SIZE);

    public ApplyConfig {
        Objects.requireNonNull(mode, "mode");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1: " + parallelism);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
        }
    }

    /** Values of {@code apply.mode}. */
    public enum Mode {
        TRANSACTIONAL,
        PARALLEL;

        /** The spelling used in channel files ({@code transactional}, {@code parallel}). */
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
