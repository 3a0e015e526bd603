package dev.ferry.dialect.schema;

import java.io.Serializable;
import java.util.List;

/** A table as the target's catalog shows it: columns in order (target names) and the primary key columns. */
public record TargetTable(List<TargetColumn> columns, List<String> primaryKey) implements Serializable {

    public TargetTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }
}
