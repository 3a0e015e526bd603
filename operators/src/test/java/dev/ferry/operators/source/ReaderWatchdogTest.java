package dev.ferry.operators.source;

import static dev.ferry.operators.Events.insert;
import static dev.ferry.operators.Events.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.TableId;
import dev.ferry.loop.FerryTables;
import dev.ferry.operators.Endpoint;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ReaderWatchdogTest {
    private static final TableId ORDERS = new TableId("shop", "orders");
    private static final Duration SILENCE = Duration.ofSeconds(15);

    private final AtomicBoolean backPressured = new AtomicBoolean();
    /** The source's binlog: grows by an event between any two looks unless a test holds it. */
    private final AtomicLong binlog = new AtomicLong();
    private final AtomicBoolean binlogHeld = new AtomicBoolean();
    private final AtomicBoolean serverDown = new AtomicBoolean();

    @Test
    void aReaderSilentForTheLimitWhileTheBinlogGrowsFailsTheTaskNamingSiteAndReason() throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = started()) {
            h.processElement(new StreamRecord<>(heartbeat()));
            h.setProcessingTime(15_000); // the silence is reached: the binlog's end is noted
            assertThatThrownBy(() -> h.setProcessingTime(16_000))
                    .isInstanceOf(ReaderWatchdog.ReaderLostException.class)
                    .hasMessageContaining("sh->us: the binlog reader of site 'sh' has received nothing for 16 s while"
                            + " the binlog there grew (from binlog.000001:1 to binlog.000001:2)")
                    .hasMessageContaining("restarts from its last checkpoint");
        }
    }

    @Test
    void aSilentReaderOfABinlogThatDoesNotGrowIsNoLostConnection() throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = started()) {
            h.processElement(new StreamRecord<>(heartbeat()));
            binlogHeld.set(true); // e.g. the heartbeat writer waits for a lock at the source
            h.setProcessingTime(120_000);
            binlogHeld.set(false);
            assertThatThrownBy(() -> h.setProcessingTime(121_000)).isInstanceOf(ReaderWatchdog.ReaderLostException.class);
        }
    }

    @Test
    void aServerThatDoesNotAnswerIsALostConnection() throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = started()) {
            h.processElement(new StreamRecord<>(heartbeat()));
            serverDown.set(true);
            h.setProcessingTime(14_000);
            assertThatThrownBy(() -> h.setProcessingTime(15_000))
                    .isInstanceOf(ReaderWatchdog.ReaderLostException.class)
                    .hasMessageContaining("has received nothing for 15 s, and the server does not answer (refused)");
        }
    }

    @Test
    void eachEventPassesOnAndRestartsTheClock() throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = started()) {
            h.processElement(new StreamRecord<>(heartbeat()));
            h.setProcessingTime(10_000);
            h.processElement(new StreamRecord<>(insert(ORDERS, "tx1", 1, "a")));
            h.setProcessingTime(25_000);
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThatThrownBy(() -> h.setProcessingTime(26_000)).isInstanceOf(ReaderWatchdog.ReaderLostException.class);
        }
    }

    @Test
    void backpressureIsNoSilence() throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = started()) {
            h.processElement(new StreamRecord<>(heartbeat()));
            backPressured.set(true);
            h.setProcessingTime(60_000);
            backPressured.set(false);
            h.setProcessingTime(75_000);
            assertThatThrownBy(() -> h.setProcessingTime(76_000)).isInstanceOf(ReaderWatchdog.ReaderLostException.class);
        }
    }

    @Test
    void notWatchedBeforeTheFirstHeartbeatNorDuringTheInitialCopy() throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = started()) {
            h.setProcessingTime(60_000); // a source where no heartbeat can be written is never watched
            h.processElement(new StreamRecord<>(heartbeat()));
            h.processElement(new StreamRecord<>(read(ORDERS, 1, "a"))); // a copy chunk may take long to read
            h.setProcessingTime(120_000);
            h.processElement(new StreamRecord<>(heartbeat())); // the copy is over: watched again
            h.setProcessingTime(135_000);
            assertThatThrownBy(() -> h.setProcessingTime(136_000)).isInstanceOf(ReaderWatchdog.ReaderLostException.class);
        }
    }

    @Test
    void aRestoredWatchdogThatWasArmedWatchesAReaderThatDeliversNothing() throws Exception {
        OperatorSubtaskState armed;
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = started()) {
            h.processElement(new StreamRecord<>(heartbeat()));
            armed = h.snapshot(1, 1_000);
        }
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = harness()) {
            h.initializeState(armed);
            h.setProcessingTime(0);
            h.open(); // the restored reader delivers nothing, not even a heartbeat
            h.setProcessingTime(15_000);
            assertThatThrownBy(() -> h.setProcessingTime(16_000))
                    .isInstanceOf(ReaderWatchdog.ReaderLostException.class);
        }
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = started()) {
            OperatorSubtaskState copying = h.snapshot(1, 1_000); // never armed: a restore is not watched either
            try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> restored = harness()) {
                restored.initializeState(copying);
                restored.setProcessingTime(0);
                restored.open();
                restored.setProcessingTime(60_000);
                restored.setProcessingTime(61_000);
                assertThat(restored.getOutput()).isEmpty();
            }
        }
    }

    private OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> started() throws Exception {
        OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = harness();
        h.setProcessingTime(0);
        h.open();
        return h;
    }

    private OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> harness() throws Exception {
        Endpoint sh = new Endpoint("sh", "127.0.0.1", 3306, "ferry", "secret", new Properties());
        ReaderWatchdog watchdog = new ReaderWatchdog("sh->us", sh, SILENCE).withProbes(backPressured::get, () -> {
            if (serverDown.get()) {
                throw new SQLException("refused");
            }
            return "binlog.000001:" + (binlogHeld.get() ? binlog.get() : binlog.incrementAndGet());
        });
        return new OneInputStreamOperatorTestHarness<>(watchdog);
    }

    private static ChangeEvent heartbeat() {
        ChangeEvent row = insert(FerryTables.HEARTBEAT, "tx0", 1, "beat");
        return new ChangeEvent(dev.ferry.common.Op.UPDATE, row.table(), row.schema(), row.after(), row.after(),
                row.txId(), row.position(), 0);
    }
}
