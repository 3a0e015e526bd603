package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link LinkProxy} against an echo server: what a cut holds, what a restore lets through, what a reset closes. */
class LinkProxyTest {
    private ServerSocket echo;
    private LinkProxy link;

    @BeforeEach
    void echoServer() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread t = new Thread(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException e) {
                            // the client went
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        link = new LinkProxy("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void close() throws IOException {
        link.close();
        echo.close();
    }

    @Test
    void bytesCrossBothWays() throws IOException {
        try (Socket s = client()) {
            send(s, "ping");
            assertThat(receive(s, 4)).isEqualTo("ping");
        }
    }

    @Test
    void aCutHoldsEveryByteUntilTheLinkIsRestoredThenDeliversThemInOrder() throws IOException {
        try (Socket s = client()) {
            send(s, "one");
            assertThat(receive(s, 3)).isEqualTo("one");
            link.cut();
            send(s, "two");
            s.setSoTimeout(500);
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            send(s, "three");
            link.restore();
            s.setSoTimeout(5_000);
            assertThat(receive(s, 8)).isEqualTo("twothree");
        }
    }

    @Test
    void aConnectionMadeWhileCutHangsAndGoesThroughOnceRestored() throws IOException {
        link.cut();
        try (Socket s = client()) {
            send(s, "held");
            s.setSoTimeout(500);
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            link.restore();
            s.setSoTimeout(5_000);
            assertThat(receive(s, 4)).isEqualTo("held");
        }
    }

    @Test
    void aResetClosesOpenConnections() throws IOException {
        try (Socket s = client()) {
            send(s, "x");
            assertThat(receive(s, 1)).isEqualTo("x");
            link.reset();
            s.setSoTimeout(5_000);
            assertThat(s.getInputStream().read()).as("end of stream").isEqualTo(-1);
        }
    }

    @Test
    void aDelayedLinkTakesTwiceItsDelayForARoundTripAndKeepsTheOrder() throws IOException {
        try (LinkProxy slow = new LinkProxy("127.0.0.1", echo.getLocalPort(), java.time.Duration.ofMillis(100));
                Socket s = new Socket(InetAddress.getLoopbackAddress(), slow.port())) {
            long start = System.nanoTime();
            send(s, "a");
            send(s, "bc");
            assertThat(receive(s, 3)).isEqualTo("abc");
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms for a round trip").isGreaterThanOrEqualTo(200);
        }
    }

    private Socket client() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), link.port());
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    private static String receive(Socket s, int bytes) throws IOException {
        return new String(s.getInputStream().readNBytes(bytes), StandardCharsets.UTF_8);
    }
}
