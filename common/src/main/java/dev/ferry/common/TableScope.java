package dev.ferry.common;

import java.io.Serializable;

/** Which tables a channel replicates; operators use it to ignore DDL of other tables. */
@FunctionalInterface
public interface TableScope extends Serializable {
    boolean includes(TableId table);
}
