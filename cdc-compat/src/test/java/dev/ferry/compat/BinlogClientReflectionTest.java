package dev.ferry.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BinlogClientReflectionTest {

    @Test
    void aListenerThatFailsWithAnErrorNeverReachesTheClientsThreadAndIsNotCalledAgain() throws Exception {
        BinaryLogClient client = new BinaryLogClient("127.0.0.1", 1, "u", "p"); // not connected
        List<Object> seen = new ArrayList<>();
        List<Throwable> broken = new ArrayList<>();
        BinlogClientReflection.listen(client, "test", (file, event) -> {
            seen.add(event);
            throw new LinkageError("loader constraint violation"); // what ended a client's thread on a cluster
        }, broken::add);

        BinaryLogClient.EventListener listener = client.getEventListeners().get(0);
        listener.onEvent(event()); // the library lets an Error through to its reading thread: none must come
        listener.onEvent(event());

        assertThat(seen).hasSize(1);
        assertThat(broken).singleElement().isInstanceOf(LinkageError.class);
    }

    @Test
    void aPublicMethodOfAHiddenClassIsCalledAsItsPublicInterfaceDeclaresIt() throws Exception {
        Function<Object, Object> identity = Function.identity(); // a lambda of another package
        assertThatThrownBy(() -> identity.getClass().getMethod("apply", Object.class).invoke(identity, "x"))
                .isInstanceOf(IllegalAccessException.class);
        assertThat(BinlogClientReflection.callPublic(identity, "apply", "x")).isEqualTo("x");
        assertThatThrownBy(() -> BinlogClientReflection.callPublic(identity, "andThen"))
                .isInstanceOf(NoSuchMethodException.class).hasMessageContaining("andThen");
    }

    private static Event event() {
        EventHeaderV4 header = new EventHeaderV4();
        header.setEventType(EventType.WRITE_ROWS);
        return new Event(header, null);
    }
}
