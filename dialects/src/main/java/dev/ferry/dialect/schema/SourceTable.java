package dev.ferry.dialect.schema;

import dev.ferry.common.TableId;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/** A MySQL table as the source defines it after a CREATE or ALTER: columns in order and the primary key. */
public record SourceTable(TableId id, List<SourceColumn> columns, List<String> primaryKey) implements Serializable {

    public SourceTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    public Optional<SourceColumn> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
