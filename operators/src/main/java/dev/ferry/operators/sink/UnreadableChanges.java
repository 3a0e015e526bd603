package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.TableId;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The changes of one apply transaction that the source reader could not read. The first of a table not held on
 * such changes yet waits in ferry_held and holds the table (a new record); the others are counted in the record
 * of their table's hold. One of a table held for another reason waits in ferry_held: when the operator's decision
 * reaches it, it holds the table (see HeldTableRelease).
 */
final class UnreadableChanges {
    private final HeldTables held;
    private final Set<TableId> newlyHeld;
    /** The tables' open holds on undecodable changes, as this transaction counts them; null: none. */
    private final Map<TableId, UnreadableHold> holds = new LinkedHashMap<>();
    private final Map<TableId, ChangeEvent> firsts = new HashMap<>();

    UnreadableChanges(HeldTables held, Set<TableId> newlyHeld) {
        this.held = held;
        this.newlyHeld = newlyHeld;
    }

    void add(ChangeEvent e) throws SQLException {
        TableId t = e.table();
        UnreadableHold hold = holds.containsKey(t) ? holds.get(t) : held.unreadableHold(t);
        if (hold != null) {
            holds.put(t, hold.plus(e));
            return;
        }
        long id = held.keep(e);
        if (newlyHeld.contains(t)) {
            holds.put(t, UnreadableHold.at(id, e));
            firsts.put(t, e);
        } else {
            holds.put(t, null);
        }
    }

    /** Writes the holds' records, in the current transaction; returns the ERROR lines to log once it commits. */
    List<String> record() throws SQLException {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<TableId, UnreadableHold> h : holds.entrySet()) {
            if (h.getValue() == null) {
                continue;
            }
            ChangeEvent first = firsts.get(h.getKey());
            if (first == null) {
                held.countUnreadable(h.getValue(), h.getKey());
            } else {
                lines.add(held.recordUnreadable(h.getValue(), first));
            }
        }
        return lines;
    }
}
