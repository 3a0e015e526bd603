package dev.ferry.operators.source;

import dev.ferry.common.TableId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Debezium's table ids in schema-change records: {@code "db"."table"}, quotes inside doubled. */
public final class DebeziumTableIds {
    private static final Pattern QUOTED_ID = Pattern.compile("\"((?:[^\"]|\"\")*)\"\\.\"((?:[^\"]|\"\")*)\"");

    private DebeziumTableIds() {}

    public static Optional<TableId> parse(String id) {
        Matcher m = QUOTED_ID.matcher(id == null ? "" : id);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new TableId(m.group(1).replace("\"\"", "\""), m.group(2).replace("\"\"", "\"")));
    }
}
