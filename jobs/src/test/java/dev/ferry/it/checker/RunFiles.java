package dev.ferry.it.checker;

import dev.ferry.it.checker.History.Txn;
import dev.ferry.it.checker.History.Write;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a run saw, for reading a violation up: {@code report.txt} (every violation), {@code history.txt} (the
 * client log), {@code conflicts.txt} (both sites' records) and {@code rows.txt}: for each row some violation is about,
 * what each site wrote to it, in commit order, the records about it and what each site holds at the end.
 */
final class RunFiles {
    private static final int MAX_ROWS = 2000;

    private RunFiles() {}

    static void write(Path dir, History history, Map<String, SiteState> finals, CheckReport report) throws IOException {
        Files.createDirectories(dir);
        List<String> sites = history.sites();
        Files.writeString(dir.resolve("report.txt"), report.text(Integer.MAX_VALUE));
        Map<String, List<String>> byRow = new LinkedHashMap<>();
        List<String> rows = new ArrayList<>(report.rows());
        Set<String> wanted = new HashSet<>(rows.subList(0, Math.min(MAX_ROWS, rows.size())));
        try (PrintWriter out = writer(dir.resolve("history.txt"))) {
            for (Txn t : history.txns()) {
                String head = InvariantChecker.time(t.committedAt()) + " " + sites.get(t.site()) + " seq " + t.seq()
                        + " tx " + Tokens.format(t.id(), sites) + (t.resolved() ? " (outcome resolved)" : "") + " " + t.ops();
                List<String> between = t.uniquesHeld().stream().filter(u -> t.writes().stream()
                        .noneMatch(w -> w.after() != null && u.equals(w.after().get("u")))).toList();
                out.println(head + " read " + t.reads().stream().map(r -> Tokens.format(r, sites)).toList()
                        + (between.isEmpty() ? "" : " held between its statements u " + between));
                for (Write w : t.writes()) {
                    String line = w.table() + " " + w.id() + " " + w.kind() + " " + Tokens.format(w.newTok(), sites)
                            + " <- " + Tokens.format(w.prevTok(), sites)
                            + (w.delTok() == null ? "" : " delete " + Tokens.format(w.delTok(), sites))
                            + (w.seenDeletes() == null || w.seenDeletes().isEmpty() ? "" : " seen " + w.seenDeletes())
                            + (w.movedFrom() == null ? "" : " moved from " + w.movedFrom()) + " " + w.after();
                    out.println("    " + line);
                    String row = InvariantChecker.row(w.table(), w.id());
                    if (wanted.contains(row)) {
                        byRow.computeIfAbsent(row, k -> new ArrayList<>()).add(head + ": " + line);
                    }
                }
            }
        }
        try (PrintWriter out = writer(dir.resolve("conflicts.txt"))) {
            for (SiteState s : finals.values()) {
                for (ConflictRecord r : s.conflicts()) {
                    out.println(r);
                    Long id = r.keyId();
                    String row = id == null ? null : InvariantChecker.row(r.table(), id);
                    if (row != null && wanted.contains(row)) {
                        byRow.computeIfAbsent(row, k -> new ArrayList<>()).add("  " + r);
                    }
                }
            }
        }
        try (PrintWriter out = writer(dir.resolve("rows.txt"))) {
            for (String row : report.rows()) {
                if (!wanted.contains(row)) {
                    continue;
                }
                String[] parts = row.split("\\|", 2);
                out.println("== " + parts[0] + " " + parts[1]);
                for (SiteState s : finals.values()) {
                    out.println("  at the end " + s.site() + ": "
                            + s.tables().getOrDefault(parts[0], Map.of()).get(parts[1]));
                }
                byRow.getOrDefault(row, List.of()).forEach(l -> out.println("  " + l));
            }
        }
    }

    private static PrintWriter writer(Path file) throws IOException {
        return new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }
}
