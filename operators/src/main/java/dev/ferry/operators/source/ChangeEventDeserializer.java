package dev.ferry.operators.source;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.common.TableScope;
import dev.ferry.compat.ddlstatements.UnparseableStatements;
import dev.ferry.loop.FerryTables;
import dev.ferry.operators.ChangeEventTypeInfo;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Field;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.util.Collector;

/**
 * Flink CDC record -> {@link ChangeEvent}. The transaction id is the binlog file and position
 * in the record's source offset: every row of one transaction carries the position of its BEGIN
 * there (the {@code source.pos} field is not used: MariaDB 11.4 reports it negative).
 */
public final class ChangeEventDeserializer implements DebeziumDeserializationSchema<ChangeEvent> {
    private static final long serialVersionUID = 1L;

    private final TableScope scope;
    private final DdlRecords ddl;
    /** Whether a zero date passes on as its stand-in rather than making the change undecodable. */
    private final boolean keepsZeroDates;

    /** @param scope the channel's tables: rows and DDL of other tables are dropped here */
    public ChangeEventDeserializer(TableScope scope) {
        this(scope, false);
    }

    private ChangeEventDeserializer(TableScope scope, boolean keepsZeroDates) {
        this.scope = scope;
        this.ddl = new DdlRecords(scope);
        this.keepsZeroDates = keepsZeroDates;
    }

    /**
     * For the reader of a target's own writes (TargetHistory), which are never applied: a zero date there passes on
     * as its stand-in (ZeroDates; before every real date, as MySQL orders the zero date), so that the write still
     * counts for the arbitration, by its key, unique values and version.
     */
    public static ChangeEventDeserializer forTargetHistory(TableScope scope) {
        return new ChangeEventDeserializer(scope, true);
    }

    @Override
    public void deserialize(SourceRecord record, Collector<ChangeEvent> out) {
        if (!(record.value() instanceof Struct value)) {
            return;
        }
        if (value.schema().field(DdlRecords.HISTORY_RECORD) != null) {
            ddl.toEvent(value, offset(record)).ifPresent(out::collect);
            return;
        }
        if (value.schema().field("op") == null) {
            return; // transaction metadata or watermark records: not row changes
        }
        Struct source = value.getStruct("source");
        TableId table = new TableId(source.getString("db"), source.getString("table"));
        if (!scope.includes(table) && !FerryTables.isFerryTable(table)) {
            // the source's table list already leaves excluded tables out; this is the second line, before any
            // value of such a table is converted (and could fail)
            return;
        }
        Op op = switch (value.getString("op")) {
            case "r" -> Op.READ;
            case "c" -> Op.INSERT;
            case "u" -> Op.UPDATE;
            case "d" -> Op.DELETE;
            default -> throw new IllegalStateException("unknown Debezium op '" + value.getString("op") + "' on " + table);
        };
        Map<String, ?> offset = offset(record);
        Object event = offset.get("event");
        Object row = offset.get("row");
        String txId = null;
        String position;
        if (op == Op.READ) {
            position = "snapshot";
        } else {
            txId = DdlRecords.transactionId(offset);
            position = txId + ":" + (event == null ? 0 : event) + ":" + (row == null ? 0 : row);
        }
        Long ts = source.getInt64("ts_ms");
        long sourceTsMs = ts == null ? 0 : ts;
        ChangeEvent change;
        try {
            Schema rowSchema = value.schema().field("after").schema();
            RowSchema schema = rowSchema(table, rowSchema, record.keySchema());
            Object[] before = row(table, value.getStruct("before"), keepsZeroDates);
            Object[] after = row(table, value.getStruct("after"), keepsZeroDates);
            if (op == Op.UPDATE && before == null) {
                throw new IllegalStateException("UPDATE on " + table + " at " + position
                        + " has no before image: the source must run with binlog_row_image=FULL");
            }
            change = new ChangeEvent(op, table, schema, before, after, txId, position, sourceTsMs);
        } catch (Unreadable u) {
            if (FerryTables.isFerryTable(table)) {
                throw new IllegalStateException("Ferry's own table " + table + " cannot be read: " + u.getMessage());
            }
            // no restart can read this table's change: it holds only its table (the applier), the others flow on
            change = ChangeEvent.undecodable(table, u.reason, u.column, op + " at " + position + ": " + u.getMessage(),
                    txId, position, sourceTsMs);
        }
        out.collect(change);
    }

    private static Map<String, ?> offset(SourceRecord record) {
        return record.sourceOffset();
    }

    private static RowSchema rowSchema(TableId table, Schema row, Schema key) {
        List<Field> fields = row.fields();
        String[] columns = new String[fields.size()];
        for (int i = 0; i < columns.length; i++) {
            // Debezium's DDL parser keeps the doubled backtick of a quoted name (`a``b` -> a``b)
            columns[i] = fields.get(i).name().replace("``", "`");
        }
        if (row.field(UnparseableStatements.FORGOTTEN) != null) {
            throw new Unreadable(ChangeEvent.Unreadable.UNPARSEABLE_STATEMENT, "", "the binlog reader could not parse"
                    + " a statement that created or altered table " + table + " (the statement is in the table's hold),"
                    + " so it no longer knows the table's columns and cannot read its rows");
        }
        if (key == null || key.fields().isEmpty()) {
            throw new Unreadable(ChangeEvent.Unreadable.NO_PRIMARY_KEY, "", "table " + table + " has no primary key;"
                    + " Ferry needs one to apply changes exactly");
        }
        int[] keys = new int[key.fields().size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = row.field(key.fields().get(i).name()).index();
        }
        return new RowSchema(columns, keys);
    }

    private static Object[] row(TableId table, Struct struct, boolean keepsZeroDates) {
        if (struct == null) {
            return null;
        }
        List<Field> fields = struct.schema().fields();
        Object[] row = new Object[fields.size()];
        for (int i = 0; i < row.length; i++) {
            Field f = fields.get(i);
            try {
                row[i] = ConnectValueConverter.convert(f.schema(), struct.get(f));
            } catch (ConnectValueConverter.UnsupportedTypeException e) {
                String column = f.name().replace("``", "`");
                throw new Unreadable(ChangeEvent.Unreadable.UNSUPPORTED_TYPE, column, "column " + table + "." + column
                        + " has a type Ferry cannot replicate exactly (" + e.getMessage() + ")");
            } catch (ConnectValueConverter.ZeroDateException e) {
                if (keepsZeroDates) {
                    row[i] = e.standIn;
                    continue;
                }
                String column = f.name().replace("``", "`");
                throw new Unreadable(ChangeEvent.Unreadable.ZERO_DATE, column, "column " + table + "." + column
                        + " holds '" + e.stored + "', a date with a year, month or day of 0, which the binlog reader"
                        + " of Flink CDC 3.5.0 reads as NULL or 1970-01-01; Ferry does not apply it changed");
            }
        }
        return row;
    }

    /** A row change of one table that cannot be read, for a reason of that table alone. */
    private static final class Unreadable extends RuntimeException {
        final ChangeEvent.Unreadable reason;
        final String column;

        Unreadable(ChangeEvent.Unreadable reason, String column, String message) {
            super(message, null, false, false);
            this.reason = reason;
            this.column = column;
        }
    }

    @Override
    public TypeInformation<ChangeEvent> getProducedType() {
        return ChangeEventTypeInfo.INSTANCE;
    }
}
