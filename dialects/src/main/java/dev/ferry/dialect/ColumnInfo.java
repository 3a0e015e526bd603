package dev.ferry.dialect;

import java.io.Serializable;
import java.util.Locale;

/**
 * What the target says about one column (information_schema.COLUMNS): enough to compare a
 * replicated value with the stored one exactly.
 *
 * @param dataType lower-case DATA_TYPE, such as {@code varchar}, {@code json}, {@code bit}
 * @param charset CHARACTER_SET_NAME, {@code null} for non-text columns
 * @param length CHARACTER_MAXIMUM_LENGTH for text and binary, NUMERIC_PRECISION for BIT, else 0
 */
public record ColumnInfo(String name, String dataType, String charset, long length) implements Serializable {

    public ColumnInfo {
        dataType = dataType.toLowerCase(Locale.ROOT);
    }

    public boolean isText() {
        return switch (dataType) {
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set" -> charset != null;
            default -> false;
        };
    }
}
