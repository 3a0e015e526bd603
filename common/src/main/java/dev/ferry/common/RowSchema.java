package dev.ferry.common;

import java.io.Serializable;
import java.util.Arrays;

/** Column names of a table in binlog order, and which of them form the primary key. */
public final class RowSchema implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String[] columns;
    private final int[] keyIndexes;
    /** Cached: schemas are looked up in hash maps for every row serialized (EventListCodec). */
    private transient int hash;

    public RowSchema(String[] columns, int[] keyIndexes) {
        this.columns = columns.clone();
        this.keyIndexes = keyIndexes.clone();
        for (int k : keyIndexes) {
            if (k < 0 || k >= columns.length) {
                throw new IllegalArgumentException("key index " + k + " outside " + Arrays.toString(columns));
            }
        }
    }

    public int size() {
        return columns.length;
    }

    public String column(int i) {
        return columns[i];
    }

    public String[] columns() {
        return columns.clone();
    }

    public int[] keyIndexes() {
        return keyIndexes.clone();
    }

    public boolean isKey(int column) {
        for (int k : keyIndexes) {
            if (k == column) {
                return true;
            }
        }
        return false;
    }

    /** The schema of only the columns at {@code indexes} (ascending), keeping the key columns among them. */
    public RowSchema only(int[] indexes) {
        String[] names = new String[indexes.length];
        int[] keys = new int[keyIndexes.length];
        int k = 0;
        for (int i = 0; i < indexes.length; i++) {
            names[i] = columns[indexes[i]];
            for (int j = 0; j < keyIndexes.length; j++) {
                if (keyIndexes[j] == indexes[i]) {
                    keys[j] = i;
                    k++;
                }
            }
        }
        if (k != keyIndexes.length) {
            throw new IllegalArgumentException("a key column of " + Arrays.toString(columns) + " left out");
        }
        return new RowSchema(names, keys);
    }

    public int indexOf(String column) {
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].equals(column)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowSchema other
                && hashCode() == other.hashCode()
                && Arrays.equals(columns, other.columns)
                && Arrays.equals(keyIndexes, other.keyIndexes);
    }

    @Override
    public int hashCode() {
        if (hash == 0) {
            hash = 31 * Arrays.hashCode(columns) + Arrays.hashCode(keyIndexes);
        }
        return hash;
    }

    @Override
    public String toString() {
        return Arrays.toString(columns) + " key " + Arrays.toString(keyIndexes);
    }
}
