package dev.ferry.common;

/**
 * Where a row change is in its source's binlog, in the order the source committed it: the binlog file (by its
 * number), the position of the transaction's BEGIN, the event within the transaction and the row within the event.
 * Positions of one server compare in commit order; positions of two servers never meet. Parsed from
 * {@link ChangeEvent#position()} ({@code file:begin:event:row}).
 */
public record BinlogPosition(long fileNumber, String file, long begin, long event, long row)
        implements Comparable<BinlogPosition> {

    /** The position of a binlog row change; null for a snapshot row or anything else without one. */
    public static BinlogPosition parse(String position) {
        if (position == null) {
            return null;
        }
        String[] parts = position.split(":");
        if (parts.length < 4) {
            return null;
        }
        try {
            int n = parts.length;
            String file = String.join(":", java.util.Arrays.copyOf(parts, n - 3));
            int dot = file.lastIndexOf('.');
            long number = dot < 0 ? 0 : Long.parseLong(file.substring(dot + 1));
            return new BinlogPosition(number, file, Long.parseLong(parts[n - 3]), Long.parseLong(parts[n - 2]),
                    Long.parseLong(parts[n - 1]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A {@link ChangeEvent#seen()} value: per writer subtask of the reverse direction, the newest position it
     * applied ({@code writer=position}, separated by {@code ;}); null if there is none.
     */
    public static String seen(java.util.Map<Integer, BinlogPosition> byWriter) {
        if (byWriter.isEmpty()) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        new java.util.TreeMap<>(byWriter).forEach((writer, p) -> s.append(s.isEmpty() ? "" : ";").append(writer)
                .append('=').append(p));
        return s.toString();
    }

    /** The position {@code writer} had applied, from a {@link #seen(java.util.Map)} value; null if none. */
    public static BinlogPosition seenBy(String seen, int writer) {
        if (seen == null) {
            return null;
        }
        String prefix = writer + "=";
        for (String entry : seen.split(";")) {
            if (entry.startsWith(prefix)) {
                return parse(entry.substring(prefix.length()));
            }
        }
        return null;
    }

    /** Whether {@code a} comes after {@code b}; a null position is before every other. */
    public static boolean after(String a, String b) {
        BinlogPosition pa = parse(a);
        BinlogPosition pb = parse(b);
        if (pa == null) {
            return false;
        }
        return pb == null || pa.compareTo(pb) > 0;
    }

    @Override
    public int compareTo(BinlogPosition o) {
        int c = Long.compare(fileNumber, o.fileNumber);
        if (c == 0) {
            c = file.compareTo(o.file);
        }
        if (c == 0) {
            c = Long.compare(begin, o.begin);
        }
        if (c == 0) {
            c = Long.compare(event, o.event);
        }
        return c != 0 ? c : Long.compare(row, o.row);
    }

    @Override
    public String toString() {
        return file + ":" + begin + ":" + event + ":" + row;
    }
}
