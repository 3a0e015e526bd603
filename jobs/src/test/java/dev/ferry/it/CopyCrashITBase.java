package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.count;
import static dev.ferry.it.Sites.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.ChannelConfig;
import dev.ferry.job.RestorePoint;
import dev.ferry.testing.Await;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash in the middle of the initial copy of several tables, while the source keeps updating copied rows and
 * inserting new ones: the restored direction must finish the copy and the target must end equal to the source,
 * row by row. Once with {@code kill -9} of {@code ferry run}, once with a TaskManager killed on a MiniCluster.
 *
 * <p>Both used to hang for ever in Flink CDC 3.5.0 (FLINK-39207, see cdc-compat): a restored reader holds more
 * than one snapshot split, and the split reader it reuses for the second one never finishes that split's binlog
 * backfill. The copy is sized ({@code -Dferry.it.copy.rows}, 100000 rows over three tables by default) so that the
 * kill lands in the middle of it; a stalled copy fails with the counts of every table and what the source reader
 * was doing.
 */
abstract class CopyCrashITBase {
    static final Duration TIMEOUT = OneDirection.TIMEOUT;
    /** No copied row for this long, while the tables differ, is a stall rather than a slow machine. */
    static final Duration STALL = Duration.ofSeconds(Long.getLong("ferry.it.copy.stall.seconds", 60));
    static final int ROWS = Integer.getInteger("ferry.it.copy.rows", 100_000);
    /** Three tables of 1/2, 1/3 and 1/6 of the rows. */
    static final List<String> TABLES = List.of("orders", "order_items", "payments");

    @RegisterExtension
    static final MiniClusterExtension FLINK = OneDirection.miniCluster();

    @TempDir
    Path dir;

    Channel channel;
    JobClient job;

    abstract ServerKind kind();

    @AfterEach
    void cancelJob() throws Exception {
        OneDirection.cancel(job);
    }

    @Test
    void taskManagerKilledInTheMiddleOfTheCopyResumesIt(@InjectMiniCluster MiniCluster flink) throws Exception {
        channel = Channel.onNewDatabase(kind(), "copytm", dir.resolve("state"));
        createTables();
        ChannelConfig config = channel.config("initial", "transactional");
        try (SourceWrites writes = new SourceWrites(channel.sh, channel.database)) {
            job = OneDirection.start(config, channel.stateDir, Optional.empty());
            copyTotal = awaitCheckpointInTheMiddleOfTheCopy(config);
            flink.terminateTaskManager(0).get(); // the job restarts from its last checkpoint
            flink.startTaskManager();
            awaitCopied(copyTotal, writes, CopyCrashITBase::sourceThreads);
            writes.stop();
        }
        awaitSameRows(CopyCrashITBase::sourceThreads);
    }

    @Test
    void killNineOfFerryRunInTheMiddleOfTheCopyResumesIt() throws Exception {
        channel = Channel.onNewDatabase(kind(), "copyk9", dir.resolve("state"));
        createTables();
        ChannelConfig config = channel.config("initial", "transactional");
        Path file = Files.writeString(dir.resolve("channel.yaml"), channel.yaml("initial", "transactional"));
        Map<String, String> env = Map.of(Channel.PASSWORD_VARIABLE, channel.sh.adminPassword());
        Path log = dir.resolve("ferry-1.log");
        try (SourceWrites writes = new SourceWrites(channel.sh, channel.database)) {
            try (FerryProcess ferry = FerryProcess.run(file, env, dir.resolve("ferry-0.log"))) {
                copyTotal = awaitCheckpointInTheMiddleOfTheCopy(config);
                ferry.kill9();
            }
            try (FerryProcess ferry = FerryProcess.run(file, env, log)) {
                ferry.awaitOutput("resumes from", TIMEOUT);
                assertThat(ferry.output()).anyMatch(l -> l.contains("resumes from") && l.contains("chk-"));
                awaitCopied(copyTotal, writes, () -> sourceLog(log));
                writes.stop();
                awaitSameRows(() -> sourceLog(log));
            }
        }
    }

    private long copyTotal;

    private void createTables() {
        String db = q(channel.database);
        channel.sh.execute(
                "CREATE TABLE " + db + ".orders (id BIGINT PRIMARY KEY, customer INT NOT NULL, amount DECIMAL(12,2),"
                        + " note VARCHAR(40), version INT NOT NULL DEFAULT 0)",
                "CREATE TABLE " + db + ".order_items (order_id BIGINT, line INT, sku VARCHAR(20) NOT NULL,"
                        + " qty INT NOT NULL, version INT NOT NULL DEFAULT 0, PRIMARY KEY (order_id, line))",
                "CREATE TABLE " + db + ".payments (id VARCHAR(20) PRIMARY KEY, amount DOUBLE, paid_at DATETIME(3),"
                        + " version INT NOT NULL DEFAULT 0)");
        // numbers 0..999999 from six cross-joined digit lists: the same SQL on MySQL and MariaDB
        String digits = "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4"
                + " UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
        String numbers = "(SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d n FROM "
                + Stream.of("a", "b", "c", "e", "f", "g").map(t -> digits + " " + t).collect(Collectors.joining(", "))
                + ") numbers";
        channel.sh.execute(
                "INSERT INTO " + db + ".orders (id, customer, amount, note) SELECT n, n % 977, n / 7,"
                        + " CONCAT('order ', n) FROM " + numbers + " WHERE n < " + ROWS / 2,
                "INSERT INTO " + db + ".order_items (order_id, line, sku, qty) SELECT n DIV 2, n % 2,"
                        + " CONCAT('sku-', n % 5003), n % 9 + 1 FROM " + numbers + " WHERE n < " + ROWS / 3,
                "INSERT INTO " + db + ".payments (id, amount, paid_at) SELECT CONCAT('p', LPAD(n, 8, '0')), n * 1.5,"
                        + " TIMESTAMP('2024-01-01') + INTERVAL n SECOND FROM " + numbers + " WHERE n < " + ROWS / 6);
    }

    /**
     * Waits until some of the copy arrived and a checkpoint completed after it, and asserts the copy is not over:
     * the restore then has finished and unfinished snapshot splits.
     */
    private long awaitCheckpointInTheMiddleOfTheCopy(ChannelConfig config) {
        String direction = OneDirection.direction(config).name();
        long total = sourceRows();
        await(() -> copiedRows() > total / 5, TIMEOUT, "a fifth of the " + total + " rows to be copied");
        Optional<Path> before = RestorePoint.latest(channel.stateDir, direction);
        await(() -> !RestorePoint.latest(channel.stateDir, direction).equals(before), TIMEOUT,
                "a checkpoint after a fifth of the copy");
        long copied = copiedRows();
        assertThat(copied).as("rows copied at the kill (raise -Dferry.it.copy.rows if the copy is over already)")
                .isLessThan(total * 9 / 10);
        return total;
    }

    /**
     * With the source writes going on, waits until the target holds at least {@code total} rows (the copy is over,
     * the writes inserted more), failing early if the copy stalls.
     */
    private void awaitCopied(long total, SourceWrites writes, Supplier<String> doing) throws InterruptedException {
        awaitProgress(() -> copiedRows() >= total && writes.count() > 0, () -> String.valueOf(copiedRows()),
                "the copy of " + total + " rows, with writes going on", doing);
    }

    /**
     * Waits until every table is equal at both sites: the fingerprints first, then row by row.
     */
    private void awaitSameRows(Supplier<String> doing) throws InterruptedException {
        awaitProgress(() -> fingerprints(channel.sh).equals(fingerprints(channel.us)), () -> fingerprints(channel.us),
                "the target to equal the source", doing);
        for (String table : TABLES) {
            Sites.awaitSameRows(channel.sh, channel.us, channel.database, table, TIMEOUT);
        }
    }

    /**
     * Polls {@code done} until it holds, failing early if {@code progress} (what the target holds) stays the same
     * for {@link #STALL}: the failure names the rows of every table and {@code doing}, what the source was doing.
     */
    private void awaitProgress(BooleanSupplier done, Supplier<String> progress, String what, Supplier<String> doing) {
        String[] last = {""};
        long[] lastChange = {System.nanoTime()};
        // the deadline of Await is a backstop: a stall fails first, with what the source was doing
        Await.until(() -> {
            if (done.getAsBoolean()) {
                return true;
            }
            String now = progress.get();
            if (!now.equals(last[0])) {
                last[0] = now;
                lastChange[0] = System.nanoTime();
            } else if (System.nanoTime() - lastChange[0] > STALL.toNanos()) {
                throw new AssertionError("the copy stalled: nothing changed at the target for " + STALL
                        + " waiting for " + what + "; rows (source/target): " + counts() + "\n" + doing.get());
            }
            return false;
        }, TIMEOUT.plus(STALL), what, Duration.ofMillis(500));
    }

    /** Per table: rows, and the sum of the versions the writes bump. */
    private String fingerprints(TestDatabase site) {
        return TABLES.stream().map(t -> site.query("SELECT COUNT(*), COALESCE(SUM(version), 0) FROM "
                + q(channel.database) + "." + q(t)).get(0).toString()).collect(Collectors.joining(", "));
    }

    private long sourceRows() {
        return TABLES.stream().mapToLong(t -> count(channel.sh, channel.database, t)).sum();
    }

    private long copiedRows() {
        return TABLES.stream().mapToLong(t -> targetRows(t)).sum();
    }

    /** Rows of a target table; 0 before ferry run created it. */
    private long targetRows(String table) {
        return channel.us.query("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND"
                + " TABLE_NAME = ?", channel.database, table).get(0).get(0).toString().equals("0")
                ? 0 : count(channel.us, channel.database, table);
    }

    private String counts() {
        return TABLES.stream().map(t -> t + " " + count(channel.sh, channel.database, t) + "/" + targetRows(t)).collect(Collectors.joining(", "));
    }

    /** The stacks of the MySQL source's threads in this JVM (the MiniCluster's TaskManager). */
    private static String sourceThreads() {
        StringBuilder out = new StringBuilder("source reader threads:\n");
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("debezium-reader") || thread.getName().startsWith("Source Data Fetcher")
                    || thread.getName().startsWith("binlog of")) {
                out.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
                Arrays.stream(stack).limit(12).forEach(f -> out.append("    at ").append(f).append('\n'));
            }
        });
        return out.toString();
    }

    /** The source's last 30 lines about snapshot splits in a ferry.log. */
    private static String sourceLog(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> split = lines.filter(l -> l.contains("split") || l.contains("Skip ")
                    || l.contains("watermark")).collect(Collectors.toCollection(ArrayList::new));
            return "ferry.log of the restarted run:\n" + String.join("\n", split.subList(Math.max(0, split.size() - 30), split.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Source writes during the copy and after the restart: each transaction updates a random copied row of every
     * table and inserts a new row into one of them, about a hundred transactions a second.
     */
    static final class SourceWrites implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong transactions = new AtomicLong();
        private final Thread thread;
        private volatile Throwable failure;

        SourceWrites(TestDatabase server, String database) {
            thread = new Thread(() -> run(server, database), "copy writes " + database);
            thread.start();
        }

        private void run(TestDatabase server, String database) {
            try (Connection c = server.connect(database)) {
                c.setAutoCommit(false);
                try (PreparedStatement order = c.prepareStatement(
                                "UPDATE orders SET version = version + 1, amount = amount + 1 WHERE id = ?");
                        PreparedStatement item = c.prepareStatement(
                                "UPDATE order_items SET version = version + 1, qty = qty + 1 WHERE order_id = ?");
                        PreparedStatement payment = c.prepareStatement(
                                "UPDATE payments SET version = version + 1 WHERE id = ?");
                        PreparedStatement insert = c.prepareStatement(
                                "INSERT INTO orders (id, customer, amount, note) VALUES (?, 0, 1, 'new')")) {
                    long next = ROWS;
                    while (running.get()) {
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        order.setLong(1, random.nextLong(ROWS / 2));
                        order.executeUpdate();
                        item.setLong(1, random.nextLong(ROWS / 6));
                        item.executeUpdate();
                        payment.setString(1, String.format("p%08d", random.nextLong(ROWS / 6)));
                        payment.executeUpdate();
                        insert.setLong(1, next++);
                        insert.executeUpdate();
                        c.commit();
                        transactions.incrementAndGet();
                        Thread.sleep(10); // pace: a steady trickle, not a load test
                    }
                }
            } catch (SQLException | RuntimeException | InterruptedException e) {
                failure = e;
            }
        }

        long count() {
            if (failure != null) {
                throw new AssertionError("the source writes failed", failure);
            }
            return transactions.get();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
            if (failure != null) {
                throw new AssertionError("the source writes failed", failure);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }
}
