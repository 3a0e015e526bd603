package dev.ferry.operators.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.loop.FerryTables;
import dev.ferry.operators.Endpoint;
import dev.ferry.testing.Await;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Closing the heartbeat writer while a beat hangs (issue 19). In the WAN lab a beat's UPDATE hung across a cut link,
 * and the driver's close waited for it: the apply task stayed CANCELING, its job RESTARTING, until 36 s after the
 * link came back. Here the UPDATE hangs on a row lock instead, as deterministic a way to hold a statement in flight.
 */
class HeartbeatWriterCloseTest {
    private static final String CHANNEL = "hbclose";
    private static final String DIRECTION = "sh->us";

    @Test
    void closeReturnsAtOnceWhileABeatHangs() throws Exception {
        TestServers.assumeAvailable(ServerKind.MARIADB);
        TestDatabase sh = TestServers.site(ServerKind.MARIADB, "sh");
        sh.execute(FerryTables.schemaStatements().toArray(String[]::new));
        Properties p = new Properties();
        p.setProperty("allowPublicKeyRetrieval", "true");
        Endpoint source = new Endpoint("sh", "127.0.0.1", sh.port(), sh.adminUser(), sh.adminPassword(), p);
        HeartbeatWriter writer = new HeartbeatWriter(source, CHANNEL, DIRECTION, Duration.ofMillis(100), null);
        String row = "SELECT ts_ms FROM ferry.ferry_heartbeat WHERE channel = '" + CHANNEL + "' AND direction = '"
                + DIRECTION + "'";
        writer.start();
        try (Connection locker = sh.connect(null)) {
            Await.until(() -> !sh.query(row).isEmpty(), Duration.ofSeconds(30), "a first heartbeat at sh");
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.executeQuery(row + " FOR UPDATE").close();
            }
            Await.until(() -> waiting(sh) > 0, Duration.ofSeconds(30), "a beat waiting for the locked row");

            long start = System.nanoTime();
            writer.close();
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            // without the abort, close waits for the beat: until its socket gives up (30 s)
            assertThat(tookMs).as("ms that close took while a beat hung").isLessThan(5_000);
            locker.rollback();
        } finally {
            writer.close();
        }
    }

    private static long waiting(TestDatabase sh) {
        try (Connection c = sh.connect(null); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'")) {
            var rs = ps.executeQuery();
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
