package dev.ferry.operators.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.TableId;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransactionRollbackException;
import org.junit.jupiter.api.Test;

class TargetRefusalTest {
    private static final TableId TABLE = new TableId("shop", "orders");

    @Test
    void checkConstraintsOfMariaDbMySqlAndPostgresAreRefusals() {
        assertThat(reason(new SQLIntegrityConstraintViolationException("CONSTRAINT `positive` failed", "23000", 4025)))
                .isEqualTo(TargetRefusal.Reason.CHECK);
        assertThat(reason(new SQLException("Check constraint 'positive' is violated.", "HY000", 3819)))
                .isEqualTo(TargetRefusal.Reason.CHECK);
        assertThat(reason(new SQLException("violates check constraint", "23514", 0))).isEqualTo(TargetRefusal.Reason.CHECK);
    }

    @Test
    void valuesColumnsTablesTriggersAndPrivilegesAreRefusals() {
        assertThat(reason(new SQLException("Data too long for column 'v'", "22001", 1406)))
                .isEqualTo(TargetRefusal.Reason.VALUE);
        assertThat(reason(new SQLException("value too long for type character varying(2)", "22001", 0)))
                .isEqualTo(TargetRefusal.Reason.VALUE);
        assertThat(reason(new SQLException("Unknown column 'note' in 'field list'", "42S22", 1054)))
                .isEqualTo(TargetRefusal.Reason.MISSING_COLUMN);
        assertThat(reason(new SQLException("Table 'shop.orders' doesn't exist", "42S02", 1146)))
                .isEqualTo(TargetRefusal.Reason.MISSING_TABLE);
        assertThat(reason(new SQLException("no orders on Sunday", "45000", 1644))).isEqualTo(TargetRefusal.Reason.TRIGGER);
        assertThat(reason(new SQLException("no orders on Sunday", "P0001", 0))).isEqualTo(TargetRefusal.Reason.TRIGGER);
        assertThat(reason(new SQLException("INSERT command denied", "42000", 1142)))
                .isEqualTo(TargetRefusal.Reason.PRIVILEGE);
    }

    @Test
    void aValueForAColumnTheTargetGeneratesIsARefusal() {
        assertThat(reason(new SQLException("The value specified for generated column 'total' in table 'lines' is not"
                + " allowed.", "HY000", 3105))).isEqualTo(TargetRefusal.Reason.GENERATED);
        assertThat(reason(new SQLException("The value specified for generated column 'total' in table 'lines' has been"
                + " ignored", "HY000", 1906))).isEqualTo(TargetRefusal.Reason.GENERATED);
        assertThat(reason(new SQLException("cannot insert a non-DEFAULT value into column \"total\"", "428C9", 0)))
                .isEqualTo(TargetRefusal.Reason.GENERATED);
    }

    @Test
    void aRefusalIsFoundAmongTheCausesOfABatchError() {
        BatchUpdateException batch = new BatchUpdateException("batch failed", "HY000", 0, new int[0],
                new SQLException("Check constraint 'positive' is violated.", "HY000", 3819));
        assertThat(reason(batch)).isEqualTo(TargetRefusal.Reason.CHECK);
        SQLException wrapped = new SQLException("INSERT into shop.orders failed (row: ...): Check constraint"
                + " 'positive' is violated.", "HY000", 3819, batch);
        assertThat(TargetRefusal.of(wrapped).orElseThrow().message()).as("in the target's own words")
                .isEqualTo("Check constraint 'positive' is violated.");
    }

    @Test
    void aLongMessageIsCutSoThatTheFixFitsTheRecord() {
        TargetRefusal r = TargetRefusal.of(new SQLException("Data too long: " + "x".repeat(5000), "22001", 1406))
                .orElseThrow();
        assertThat(r.message()).hasSize(403).endsWith("...");
        assertThat(r.describe(TABLE).length() + r.fix().length()).isLessThan(1000);
    }

    @Test
    void duplicatesDeadlocksAndConnectionLossAreNotRefusals() {
        assertThat(TargetRefusal.of(new SQLIntegrityConstraintViolationException("Duplicate entry '1' for key"
                + " 'PRIMARY'", "23000", 1062))).isEmpty();
        assertThat(TargetRefusal.of(new SQLTransactionRollbackException("Deadlock found", "40001", 1213))).isEmpty();
        assertThat(TargetRefusal.of(new SQLException("Communications link failure", "08S01", 0))).isEmpty();
        assertThat(TargetRefusal.of(new SQLException("foreign key constraint fails", "23000", 1452))).isEmpty();
    }

    @Test
    void theRecordNamesTheTableTheReasonTheErrorAndTheFix() {
        TargetRefusal r = TargetRefusal.of(new SQLException("Check constraint 'positive' is violated.", "HY000", 3819))
                .orElseThrow();
        assertThat(r.describe(TABLE)).isEqualTo("shop.orders is held: a CHECK constraint of the target refuses the"
                + " row (SQLState HY000, error 3819: Check constraint 'positive' is violated.)");
        assertThat(r.fix()).startsWith("change or drop that constraint at the target")
                .contains("outcome = 'retry'", "'skip'", "'manual'");
    }

    @Test
    void aRetriableErrorIsNotAttributedToATable() {
        SQLException deadlock = new SQLTransactionRollbackException("Deadlock found", "40001", 1213);
        assertThat((Object) RefusedChange.attribute(deadlock, TABLE, null)).isSameAs(deadlock);
        SQLException check = new SQLException("Check constraint 'positive' is violated.", "HY000", 3819);
        assertThat((Object) RefusedChange.attribute(check, TABLE, null)).isInstanceOf(RefusedChange.class);
        assertThat((Object) RefusedChange.attribute(check, new TableId("ferry", "ferry_commit"), null)).isSameAs(check);
    }

    private static TargetRefusal.Reason reason(SQLException e) {
        return TargetRefusal.of(e).orElseThrow().reason();
    }
}
