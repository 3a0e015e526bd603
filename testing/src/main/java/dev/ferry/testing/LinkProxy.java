package dev.ferry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP link to one server on 127.0.0.1 that a test can cut and restore, the way a WAN link between two data
 * centres fails: while it is cut, no byte crosses in either direction and no new connection reaches the
 * server, yet nothing is closed or refused; connections hang, as they do when packets are dropped. Once
 * restored, what was held crosses in order and the held connections go through, as TCP retransmission does
 * after a short outage. {@link #reset()} instead closes every connection, as a router or firewall that
 * forgets its state does. With a delay, every byte arrives that much later in each direction (a round trip
 * takes twice the delay), without limiting the bandwidth: a long link, not a slow one.
 */
public final class LinkProxy implements AutoCloseable {
    private final String host;
    private final int port;
    private final long delayNanos;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private boolean cut;
    private volatile boolean closed;

    /** Starts forwarding connections made to {@link #port()} to {@code host}:{@code port}. */
    public LinkProxy(String host, int port) {
        this(host, port, Duration.ZERO);
    }

    /** As {@link #LinkProxy(String, int)}, each byte delayed by {@code oneWay} in each direction. */
    public LinkProxy(String host, int port, Duration oneWay) {
        this.host = host;
        this.port = port;
        this.delayNanos = oneWay.toNanos();
        try {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon("link-proxy accept " + port, this::acceptLoop).start();
    }

    /** The local port that leads to the server. */
    public int port() {
        return listener.getLocalPort();
    }

    /** From now on nothing crosses, until {@link #restore()}. */
    public void cut() {
        synchronized (gate) {
            cut = true;
        }
    }

    /** Lets through what was held, and everything after it. */
    public void restore() {
        synchronized (gate) {
            cut = false;
            gate.notifyAll();
        }
    }

    /** Closes every open connection through the link (the link itself stays as it is, cut or not). */
    public void reset() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        restore();
        reset();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(client);
            daemon("link-proxy connect " + port, () -> connect(client)).start();
        }
    }

    /** Connects a client to the server once the link lets it, then carries bytes both ways. */
    private void connect(Socket client) {
        try {
            awaitLink();
            Socket server = new Socket(host, port);
            sockets.add(server);
            daemon("link-proxy up " + port, () -> pump(client, server)).start();
            pump(server, client);
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to) {
        BlockingQueue<Segment> line = delayNanos > 0 ? new LinkedBlockingQueue<>() : null;
        if (line != null) {
            daemon("link-proxy delay " + port, () -> deliver(line, from, to)).start();
        }
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitLink(); // what was read while cut is held here, and nothing more is read
                if (line != null) {
                    line.put(new Segment(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
                } else {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // one end closed: close the other
        } finally {
            if (line != null) {
                line.add(Segment.END); // what is on the line still arrives, then the other end closes
            } else {
                closeBoth(from, to);
            }
        }
    }

    /** Writes each segment once its time has come; the end of the line closes both ends. */
    private void deliver(BlockingQueue<Segment> line, Socket from, Socket to) {
        try {
            OutputStream out = to.getOutputStream();
            for (Segment s = line.take(); s != Segment.END; s = line.take()) {
                long wait = s.dueNanos - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                out.write(s.bytes);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the other end closed
        } finally {
            closeBoth(from, to);
        }
    }

    private void closeBoth(Socket a, Socket b) {
        closeQuietly(a);
        closeQuietly(b);
        sockets.remove(a);
        sockets.remove(b);
    }

    /** Bytes on a delayed line and when they arrive. */
    private record Segment(long dueNanos, byte[] bytes) {
        static final Segment END = new Segment(0, new byte[0]);
    }

    private void awaitLink() throws InterruptedException {
        synchronized (gate) {
            while (cut && !closed) {
                gate.wait();
            }
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
