package org.apache.flink.cdc.connectors.mysql.source.connection;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.cdc.connectors.mysql.source.config.MySqlSourceConfig;
import org.apache.flink.cdc.connectors.shaded.com.zaxxer.hikari.HikariDataSource;
import org.apache.flink.cdc.connectors.shaded.com.zaxxer.hikari.HikariPoolMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ferry's replacement of Flink CDC 3.5.0's connection pool registry, for the JVM-wide {@code clear()} that
 * <b>FLINK-35524</b> added. Upstream, every split assigner's {@code close()} closes every pool of every MySQL source in
 * the JVM, with the connections other sources are using at that moment. In {@code ferry run} both directions' jobs
 * share this JVM, and a direction's target-history source reads the server the other direction copies from; so one
 * direction's restart broke the other's table splitting ("No operations allowed after connection closed") and
 * restarted it too. Seen in CI on MySQL 9.7 (ReplicationFailoverITBase) and on MySQL 8.0.
 *
 * <p>Here {@link #clear()} closes only the pools nobody is using; the others let go of their idle connections at once
 * and of the lent ones when they come back. The pool map, its key and its factory are upstream's. This class shadows
 * upstream's by name: {@code ferry-cdc-compat} comes before {@code flink-sql-connector-mysql-cdc} on the class path and
 * the job jar leaves upstream's out; {@code SharedPoolsPatch} checks at start-up that this copy is the one loaded.
 * Remove it once Flink CDC's {@code clear()} leaves other sources' connections alone.
 */
public class JdbcConnectionPools implements ConnectionPools {
    /** Read by Ferry's start-up check: present only in this patched copy. */
    public static final String FERRY_PATCH = "FLINK-35524";

    private static final Logger LOG = LoggerFactory.getLogger(JdbcConnectionPools.class);
    private static final JdbcConnectionPools INSTANCE = new JdbcConnectionPools();

    /**
     * A pool handed out this recently may be just about to lend a connection (the caller asks for one after this
     * registry returns the pool), so {@link #clear()} does not close it. Tests shorten it.
     */
    static volatile Duration handOutGrace = Duration.ofSeconds(30);

    private final Map<ConnectionPoolId, Pool> pools = new HashMap<>();

    private JdbcConnectionPools() {}

    public static JdbcConnectionPools getInstance() {
        return INSTANCE;
    }

    @Override
    public HikariDataSource getOrCreateConnectionPool(ConnectionPoolId poolId, MySqlSourceConfig sourceConfig) {
        synchronized (pools) {
            Pool pool = pools.computeIfAbsent(poolId, id -> {
                LOG.info("Create and register connection pool {}", id);
                return new Pool(PooledDataSourceFactory.createPooledDataSource(sourceConfig));
            });
            pool.handedOutNanos = System.nanoTime();
            return pool.source;
        }
    }

    /**
     * Called when any source's split assigner closes. Closes the pools with no connection lent, no caller waiting and
     * no recent hand-out; every other pool keeps working for the sources still using it, without idle connections.
     */
    public void clear() {
        synchronized (pools) {
            long now = System.nanoTime();
            pools.values().removeIf(pool -> pool.closeIfUnused(now));
        }
    }

    private static final class Pool {
        final HikariDataSource source;
        long handedOutNanos;

        Pool(HikariDataSource source) {
            this.source = source;
        }

        /** @return whether the pool was closed; otherwise its idle connections are, and lent ones when returned */
        boolean closeIfUnused(long now) {
            HikariPoolMXBean state = source.getHikariPoolMXBean();
            boolean unused = state == null || (state.getActiveConnections() == 0
                    && state.getThreadsAwaitingConnection() == 0 && now - handedOutNanos > handOutGrace.toNanos());
            if (unused) {
                source.close();
                return true;
            }
            source.getHikariConfigMXBean().setMinimumIdle(0); // no fresh idle connection behind the evicted ones
            state.softEvictConnections();
            return false;
        }
    }
}
