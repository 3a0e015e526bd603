package dev.ferry.compat.dbz2663;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class CompressedTransactionGuardTest {

    @Test
    void aTransactionPayloadEventFailsTheNextFetchNamingItsPosition() throws Exception {
        CompressedTransactionGuard guard = new CompressedTransactionGuard();
        guard.onEvent("binlog.000002", event(EventType.WRITE_ROWS, 900, 100));
        assertThatCode(guard::throwIfMet).doesNotThrowAnyException();
        guard.onEvent("binlog.000002", event(EventType.TRANSACTION_PAYLOAD, 1000, 234));
        guard.onEvent("binlog.000002", event(EventType.TRANSACTION_PAYLOAD, 1234, 50)); // the first one is named
        assertThatThrownBy(guard::throwIfMet).isInstanceOf(IOException.class)
                .hasMessageContaining("the binlog holds a compressed binlog transaction at binlog.000002:1000")
                .hasMessageContaining(CompressedTransactionGuard.MARKER)
                .hasMessageContaining("DBZ-2663");
    }

    private static Event event(EventType type, long position, long length) {
        EventHeaderV4 header = new EventHeaderV4();
        header.setEventType(type);
        header.setEventLength(length);
        header.setNextPosition(position + length);
        return new Event(header, null);
    }
}
