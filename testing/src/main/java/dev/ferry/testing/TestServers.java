package dev.ferry.testing;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * One JVM-wide set of servers shared by tests: each (kind, site) pair is one server process, started on first
 * use and killed (its files deleted) by a shutdown hook when the JVM exits. Different sites can be started in
 * parallel.
 *
 * <p>Sites have different default time zones, so that tests see time-zone bugs: "sh" is {@code +08:00}, "us"
 * is {@code -05:00} and any other site {@code +00:00}.
 */
public final class TestServers {

    /** With {@code CI=true} a missing server fails tests instead of skipping them. */
    public static final String CI_VARIABLE = "CI";

    private static final System.Logger LOG = System.getLogger(TestServers.class.getName());
    private static final ConcurrentMap<String, Site> SITES = new ConcurrentHashMap<>();
    private static final Set<ServerKind> REPORTED = ConcurrentHashMap.newKeySet();

    private TestServers() {
    }

    /**
     * The shared server of this kind for the site, started if needed (and started again if a test stopped or
     * killed it).
     *
     * @throws IllegalStateException if the server programs are missing (see {@link #available}) or the server
     *                               does not start
     */
    public static TestDatabase site(ServerKind kind, String siteName) {
        return SITES.computeIfAbsent(kind + "/" + siteName, k -> new Site(kind, siteName)).get();
    }

    /** The default time zone of a site's servers: "sh" +08:00, "us" -05:00, others +00:00. */
    public static String siteTimeZone(String siteName) {
        switch (siteName) {
            case "sh":
                return "+08:00";
            case "us":
                return "-05:00";
            default:
                return "+00:00";
        }
    }

    /** Whether servers of this kind can be started here; if not, the reason is logged once. */
    public static boolean available(ServerKind kind) {
        Optional<String> reason = unavailableReason(kind);
        reason.filter(r -> REPORTED.add(kind)).ifPresent(r -> LOG.log(Level.WARNING, "{0} test servers are not available: {1}", kind, r));
        return reason.isEmpty();
    }

    /** Empty if servers of this kind can be started, else what is missing and how to fix it. */
    public static Optional<String> unavailableReason(ServerKind kind) {
        return ServerBinaries.unavailableReason(kind);
    }

    /**
     * For JUnit tests: returns if servers of this kind are available. If not, fails the test when the environment
     * variable CI is "true", and otherwise skips it (aborts with an assumption failure) with the reason.
     */
    public static void assumeAvailable(ServerKind kind) {
        Optional<String> reason = unavailableReason(kind);
        if (reason.isEmpty()) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv(CI_VARIABLE))) {
            Assertions.fail(kind + " test servers are required when " + CI_VARIABLE + "=true: " + reason.get());
        }
        Assumptions.abort(kind + " test servers are not available, skipping: " + reason.get());
    }

    /** Lazily started server of one site; a failed start is remembered, so later tests fail fast. */
    private static final class Site {
        private final ServerKind kind;
        private final String siteName;
        private TestDatabase server;
        private RuntimeException failure;

        Site(ServerKind kind, String siteName) {
            this.kind = kind;
            this.siteName = siteName;
        }

        synchronized TestDatabase get() {
            if (failure != null) {
                throw new IllegalStateException(kind + " site '" + siteName + "' failed to start earlier in this JVM",
                        failure);
            }
            try {
                if (server == null || server.isClosed()) {
                    server = DatabaseServer.start(kind, siteName, Map.of("default-time-zone", siteTimeZone(siteName)));
                } else if (!server.isRunning()) {
                    server.restart();
                }
                return server;
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
    }
}
