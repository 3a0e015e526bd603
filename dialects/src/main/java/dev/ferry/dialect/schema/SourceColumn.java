package dev.ferry.dialect.schema;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One column as the MySQL source defines it, taken from Flink CDC's structured schema change
 * ({@code tableChanges}), never from the statement text.
 *
 * @param typeName the MySQL base type, upper case, without {@code UNSIGNED}: {@code INT}, {@code VARCHAR},
 *     {@code DATETIME}, {@code ENUM}, ...
 * @param length declared length or precision ({@code VARCHAR(255)} -> 255, {@code DECIMAL(10,2)} -> 10,
 *     {@code DATETIME(6)} -> 6, {@code BIT(8)} -> 8), -1 if none was declared
 * @param scale declared scale ({@code DECIMAL(10,2)} -> 2), -1 if none
 * @param defaultValue the default as a value (a string literal's content, a number's digits), or {@code null}
 *     when {@link #hasDefault()} is false or the default is NULL
 * @param defaultIsExpression whether the default is an expression such as {@code CURRENT_TIMESTAMP} rather than
 *     a literal value
 * @param enumValues the values of an ENUM or SET, else empty
 * @param charset the column's character set for text types, else {@code null}
 */
public record SourceColumn(String name, String typeName, boolean unsigned, int length, int scale, boolean nullable,
        boolean autoIncrement, boolean hasDefault, String defaultValue, boolean defaultIsExpression,
        List<String> enumValues, String charset) implements Serializable {

    public SourceColumn {
        Objects.requireNonNull(name, "name");
        typeName = typeName.toUpperCase(Locale.ROOT);
        enumValues = List.copyOf(enumValues);
    }
}
