package dev.ferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The failure texts below are the ones Flink CDC 3.5.0 / Debezium and MariaDB produce. */
class FailureMessagesTest {

    @Test
    void aPurgedBinlogIsExplainedAndStopsTheDirection() {
        String failure = "java.lang.IllegalStateException: The connector is trying to read binlog starting at"
                + " Struct{version=1.9.8.Final,file=binlog.000003,pos=1234}, but this is no longer available on the"
                + " server. Reconfigure the connector to use a snapshot when needed.\n\tat ...";
        assertThat(FailureMessages.isFatal(failure)).isTrue();
        assertThat(FailureMessages.explain("sh->us", "sh", failure)).hasValueSatisfying(m -> assertThat(m)
                .contains("sh->us").contains("purged at site 'sh'").contains("binlog_expire_logs_seconds")
                .contains("startup: initial"));
    }

    @Test
    void anotherSourceServerIsExplainedWithoutTheExceptionAndStopsTheDirection() {
        String failure = "org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy"
                + "\n\tat ...\nCaused by: dev.ferry.job.FerryException: site 'sh' (db1:3306) is not the server this"
                + " direction read before: it read MariaDB server_id 1, the address now reaches MariaDB server_id 2,"
                + " and it has another server_id. Nothing was applied from it. Fix: ...\n\tat dev.ferry...";
        assertThat(FailureMessages.isFatal(failure)).isTrue();
        assertThat(FailureMessages.explain("sh->us", "sh", failure)).hasValue("sh->us: site 'sh' (db1:3306) is not"
                + " the server this direction read before: it read MariaDB server_id 1, the address now reaches"
                + " MariaDB server_id 2, and it has another server_id. Nothing was applied from it. Fix: ...");
    }

    @Test
    void upstreamsCopyOfAPatchedClassOnTheClusterIsExplainedAndStopsTheDirection() {
        String failure = "org.apache.flink.runtime.JobException: Recovery is suppressed\n\tat ...\nCaused by:"
                + " java.lang.IllegalStateException: io.debezium.connector.mysql.RowDeserializers was loaded from"
                + " file:/opt/flink/lib/flink-sql-connector-mysql-cdc-3.5.0.jar, not from ferry-cdc-compat, so negative"
                + " TIME values from the binlog would be decoded wrongly (DBZ-7594). Fix: on a Flink cluster, remove"
                + " flink-sql-connector-mysql-cdc from Flink's lib/ directory ...\n\tat dev.ferry...";
        assertThat(FailureMessages.isFatal(failure)).isTrue();
        assertThat(FailureMessages.explain("sh->us", "sh", failure)).hasValueSatisfying(m -> assertThat(m)
                .startsWith("sh->us: io.debezium.connector.mysql.RowDeserializers was loaded from file:/opt/flink/lib/")
                .contains("Fix: on a Flink cluster, remove flink-sql-connector-mysql-cdc from Flink's lib/"));
    }

    @Test
    void mariaDbsMissingLogFileMeansTheSame() {
        String failure = "com.github.shyiko.mysql.binlog.network.ServerException: Could not find first log file name"
                + " in binary log index file";
        assertThat(FailureMessages.isFatal(failure)).isTrue();
        assertThat(FailureMessages.explain("us->sh", "us", failure)).hasValueSatisfying(m ->
                assertThat(m).contains("purged at site 'us'"));
    }

    @Test
    void aSavepointOfAnOlderFerrysSinkIsExplainedAndStopsTheDirection() {
        // Flink 1.20.3's text (org.apache.flink.runtime.checkpoint.Checkpoints)
        String failure = "java.lang.IllegalStateException: Failed to rollback to checkpoint/savepoint"
                + " file:/var/lib/ferry/sh-to-us/savepoints/savepoint-1a2b3c. Cannot map checkpoint/savepoint state for"
                + " operator 9dd63673dd41ea021b896d5203f3ba7c to the new program, because the operator is not available"
                + " in the new program. If you want to allow to skip this, you can set the --allowNonRestoredState"
                + " option on the CLI.";
        assertThat(FailureMessages.isFatal(failure)).isTrue();
        assertThat(FailureMessages.explain("sh->us", "sh", failure)).hasValueSatisfying(m -> assertThat(m)
                .contains("sh->us").contains("cannot be restored").contains("ferry-sink")
                .contains("state directory aside").contains("startup: initial"));
    }

    @Test
    void aCompressedTransactionIsExplainedAndStopsTheDirection() {
        String failure = "java.lang.RuntimeException: One or more fetchers have encountered exception\n\tat ...\n"
                + "Caused by: java.io.IOException: the binlog holds a compressed binlog transaction at"
                + " binlog.000002:1000 (binlog_transaction_compression=ON in the session that wrote it). Flink CDC"
                + " 3.5.0's binlog reader skips the rows of compressed transactions (DBZ-2663), so the direction stops"
                + " here rather than lose them.\n\tat dev.ferry.compat.dbz2663...";
        assertThat(FailureMessages.isFatal(failure)).isTrue();
        assertThat(FailureMessages.explain("sh->us", "sh", failure)).hasValueSatisfying(m -> assertThat(m)
                .startsWith("sh->us: at site 'sh', the binlog holds a compressed binlog transaction at binlog.000002:1000")
                .contains("SET PERSIST binlog_transaction_compression = OFF at 'sh'")
                .contains("state directory aside").contains("'startup: initial'").doesNotContain("\n")
                .doesNotContain("Exception"));
    }

    @Test
    void anUnreachableTargetIsRetriedNotStopped() {
        String failure = "com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure";
        assertThat(FailureMessages.isFatal(failure)).isFalse();
        assertThat(FailureMessages.explain("sh->us", "sh", failure)).hasValueSatisfying(m ->
                assertThat(m).contains("unreachable").contains("retrying"));
    }

    @Test
    void theRootCauseIsTheLastCausedByFirstLine() {
        String failure = "java.lang.RuntimeException: One or more fetchers have encountered exception\n"
                + "\tat org.apache.flink.A.b(A.java:1)\n"
                + "Caused by: java.lang.RuntimeException: SplitFetcher thread 0 received unexpected exception\n"
                + "\tat org.apache.flink.C.d(C.java:2)\n"
                + "Caused by: java.sql.SQLException: Table 'x.y' doesn't exist\n"
                + "\tat com.mysql.E.f(E.java:3)\n\t... 6 more\n";
        assertThat(FailureMessages.rootCause(failure)).isEqualTo("java.sql.SQLException: Table 'x.y' doesn't exist");
        assertThat(FailureMessages.rootCause("java.lang.OutOfMemoryError: heap\n\tat x")).isEqualTo(
                "java.lang.OutOfMemoryError: heap");
    }

    @Test
    void unknownFailuresAreLeftToTheCaller() {
        assertThat(FailureMessages.explain("sh->us", "sh", "java.lang.OutOfMemoryError")).isEmpty();
        assertThat(FailureMessages.isFatal(null)).isFalse();
    }
}
