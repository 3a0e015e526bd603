package dev.ferry.dialect;

import dev.ferry.dialect.schema.SourceColumn;
import java.util.List;

/** Short ways to write source columns in tests. */
public final class Columns {
    private Columns() {}

    public static SourceColumn col(String name, String type, int length, int scale, boolean nullable) {
        return new SourceColumn(name, type, false, length, scale, nullable, false, false, null, false, List.of(), null);
    }

    public static SourceColumn notNull(String name, String type, int length) {
        return col(name, type, length, -1, false);
    }

    public static SourceColumn nullable(String name, String type, int length) {
        return col(name, type, length, -1, true);
    }

    public static SourceColumn unsigned(String type) {
        return new SourceColumn("c", type, true, -1, -1, true, false, false, null, false, List.of(), null);
    }

    public static SourceColumn withDefault(SourceColumn c, String value, boolean expression) {
        return new SourceColumn(c.name(), c.typeName(), c.unsigned(), c.length(), c.scale(), c.nullable(),
                c.autoIncrement(), true, value, expression, c.enumValues(), c.charset());
    }

    public static SourceColumn enumOf(String name, boolean set, String... values) {
        return new SourceColumn(name, set ? "SET" : "ENUM", false, -1, -1, true, false, false, null, false,
                List.of(values), "utf8mb4");
    }
}
