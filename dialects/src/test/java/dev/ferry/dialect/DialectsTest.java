package dev.ferry.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.TableId;
import dev.ferry.dialect.schema.IdentifierCase;
import dev.ferry.dialect.schema.SourceTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class DialectsTest {

    @Test
    void choosesByUrl() {
        assertThat(Dialects.forUrl("jdbc:mysql://h/db", "8.4.0")).isInstanceOf(MySqlDialect.class);
        assertThat(Dialects.forUrl("jdbc:postgresql://h/db", "16.2")).isInstanceOf(PostgreSqlDialect.class);
        assertThat(Dialects.forUrl("jdbc:oracle:thin:@//h:1521/FREEPDB1", "23.0")).isInstanceOf(OracleDialect.class);
    }

    @Test
    void eachTargetHasItsDefaultCaseUnlessTold() {
        assertThat(Dialects.forUrl("jdbc:postgresql://h/db", "16").targetName("Id")).isEqualTo("Id");
        assertThat(Dialects.forUrl("jdbc:oracle:thin:@h", "19").targetName("Id")).isEqualTo("ID");
        assertThat(Dialects.forUrl("jdbc:postgresql://h/db", "16", IdentifierCase.LOWER).targetName("Id")).isEqualTo("id");
        assertThat(Dialects.forUrl("jdbc:oracle:thin:@h", "19", IdentifierCase.PRESERVE).targetName("Id")).isEqualTo("Id");
    }

    @Test
    void oracleTakesTheIdentifierLimit() {
        Dialect old = Dialects.forUrl("jdbc:oracle:thin:@h", "11.2", null, 30);
        assertThatThrownBy(() -> old.targetName("x".repeat(31))).hasMessageContaining("at most 30 bytes");
    }

    /** Flink ships the dialect to its tasks: the dialect and its translator (type-map lambdas too) must survive. */
    @Test
    void dialectsSurviveJavaSerialization() throws Exception {
        for (Dialect d : List.of(new PostgreSqlDialect(IdentifierCase.LOWER), new OracleDialect(IdentifierCase.UPPER, 30))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(d);
            }
            Dialect copy;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                copy = (Dialect) in.readObject();
            }
            SourceTable t = new SourceTable(new TableId("Db", "T"), List.of(Columns.notNull("Id", "BIGINT", -1)),
                    List.of("Id"));
            assertThat(copy.schema().createTable(t)).isEqualTo(d.schema().createTable(t));
            assertThatThrownBy(() -> copy.targetName("x".repeat(64))).hasMessageContaining("at most");
        }
    }

    @Test
    void unknownUrlsListTheSupportedOnes() {
        assertThatThrownBy(() -> Dialects.forUrl("jdbc:sqlserver://x", "1")).hasMessageContaining("jdbc:sqlserver://x")
                .hasMessageContaining("jdbc:postgresql:").hasMessageContaining("jdbc:oracle:");
    }
}
