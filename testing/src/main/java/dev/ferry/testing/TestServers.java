package dev.ferry.testing;

import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * One JVM-wide set of servers shared by tests: each (kind, site) pair is one server, started on first use by
 * the {@link #provider()} (local processes, or containers with {@code -Dferry.test.databases=containers}) and
 * killed (its files deleted) when the JVM exits. Different sites can be started in parallel.
 *
 * <p>Sites have different default time zones, so that tests see time-zone bugs: "sh" is {@code +08:00}, "us"
 * is {@code -05:00} and any other site {@code +00:00}.
 */
public final class TestServers {

    /** With {@code CI=true} a missing server fails tests instead of skipping them (unless CI cannot have it). */
    public static final String CI_VARIABLE = "CI";

    /** System property choosing the provider: {@code local} (default) or {@code containers}. */
    public static final String PROVIDER_PROPERTY = "ferry.test.databases";

    /** The provider of the containers profile, compiled only there (testing/src/containers/java). */
    static final String CONTAINERS_PROVIDER = "dev.ferry.testing.ContainerDatabases";

    private static final System.Logger LOG = System.getLogger(TestServers.class.getName());
    private static final ConcurrentMap<String, Site> SITES = new ConcurrentHashMap<>();
    private static final Set<ServerKind> REPORTED = ConcurrentHashMap.newKeySet();
    private static volatile DatabaseProvider provider;

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
        return provider().unavailable(kind).map(DatabaseProvider.Unavailable::reason);
    }

    /** The provider chosen by {@value #PROVIDER_PROPERTY}: local processes unless it says "containers". */
    public static DatabaseProvider provider() {
        DatabaseProvider p = provider;
        if (p == null) {
            synchronized (TestServers.class) {
                if (provider == null) {
                    provider = chooseProvider(System.getProperty(PROVIDER_PROPERTY, "local"));
                }
                p = provider;
            }
        }
        return p;
    }

    private static DatabaseProvider chooseProvider(String name) {
        switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "":
            case "local":
                return new LocalProcesses();
            case "containers":
                try {
                    return (DatabaseProvider) Class.forName(CONTAINERS_PROVIDER).getDeclaredConstructor().newInstance();
                } catch (ClassNotFoundException e) {
                    return new Misconfigured(PROVIDER_PROPERTY + "=containers, but the container classes were not"
                            + " compiled: build with the Maven profile -Pcontainers (see testing/CONTAINERS.md)");
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot create " + CONTAINERS_PROVIDER, e);
                }
            default:
                throw new IllegalArgumentException(PROVIDER_PROPERTY + "=" + name + " is not a provider of test"
                        + " databases: use 'local' (the default) or 'containers'");
        }
    }

    /**
     * For JUnit tests: returns if servers of this kind are available. If not, fails the test when the environment
     * variable CI is "true", and otherwise skips it (aborts with an assumption failure) with the reason.
     */
    public static void assumeAvailable(ServerKind kind) {
        Optional<DatabaseProvider.Unavailable> unavailable = provider().unavailable(kind);
        if (unavailable.isEmpty()) {
            return;
        }
        String reason = unavailable.get().reason();
        if (unavailable.get().requiredInCi() && "true".equalsIgnoreCase(System.getenv(CI_VARIABLE))) {
            Assertions.fail(kind + " test servers are required when " + CI_VARIABLE + "=true: " + reason);
        }
        Assumptions.abort(kind + " test servers are not available, skipping: " + reason);
    }

    /** A provider that cannot be used as configured: every kind is unavailable, and CI fails for it. */
    private static final class Misconfigured implements DatabaseProvider {
        private final String reason;

        Misconfigured(String reason) {
            this.reason = reason;
        }

        @Override
        public Optional<Unavailable> unavailable(ServerKind kind) {
            return Optional.of(new Unavailable(reason, true));
        }

        @Override
        public TestDatabase start(ServerKind kind, String siteName, String timeZone) {
            throw new IllegalStateException("cannot start " + kind + " server '" + siteName + "': " + reason);
        }
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
                    server = provider().start(kind, siteName, siteTimeZone(siteName));
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
