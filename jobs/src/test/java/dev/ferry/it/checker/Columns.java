package dev.ferry.it.checker;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The columns the schema changes added, per site and table, once they exist there: the clients write them. */
public final class Columns {
    private final ConcurrentMap<String, List<String>> added = new ConcurrentHashMap<>();

    void add(String site, String table, String column) {
        List<String> columns = added.computeIfAbsent(site + "/" + table, k -> new CopyOnWriteArrayList<>());
        if (!columns.contains(column)) {
            columns.add(column);
        }
    }

    List<String> at(String site, String table) {
        return added.getOrDefault(site + "/" + table, List.of());
    }
}
