package dev.ferry.dialect.schema;

import java.io.Serializable;

/**
 * One column as the target's catalog shows it.
 *
 * @param type the column type in the dialect's canonical spelling, the same spelling its
 *     {@link SchemaTranslator#columnType} produces (so that equal means unchanged)
 */
public record TargetColumn(String name, String type, boolean nullable) implements Serializable {}
