package dev.ferry.operators;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;

/** Builds change events for tests: table {@code db.t (id BIGINT PRIMARY KEY, v VARCHAR)}. */
public final class Events {
    public static final RowSchema SCHEMA = new RowSchema(new String[] {"id", "v"}, new int[] {0});

    private Events() {}

    public static ChangeEvent insert(TableId table, String tx, long id, String v) {
        return new ChangeEvent(Op.INSERT, table, SCHEMA, null, new Object[] {id, v}, tx, tx + ":" + id, 0);
    }

    public static ChangeEvent update(TableId table, String tx, long id, String before, long newId, String after) {
        return new ChangeEvent(Op.UPDATE, table, SCHEMA, new Object[] {id, before}, new Object[] {newId, after}, tx,
                tx + ":" + id, 0);
    }

    public static ChangeEvent delete(TableId table, String tx, long id, String v) {
        return new ChangeEvent(Op.DELETE, table, SCHEMA, new Object[] {id, v}, null, tx, tx + ":" + id, 0);
    }

    public static ChangeEvent read(TableId table, long id, String v) {
        return new ChangeEvent(Op.READ, table, SCHEMA, null, new Object[] {id, v}, null, "snapshot", 0);
    }

    public static ChangeEvent ddl(TableId table, String tx, String statement) {
        return ChangeEvent.ddl(table, statement, tx, tx, 0);
    }
}
