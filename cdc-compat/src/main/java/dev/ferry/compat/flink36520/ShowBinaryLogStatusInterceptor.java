package dev.ferry.compat.flink36520;

import com.mysql.cj.MysqlConnection;
import com.mysql.cj.PreparedQuery;
import com.mysql.cj.Query;
import com.mysql.cj.ServerVersion;
import com.mysql.cj.interceptors.QueryInterceptor;
import com.mysql.cj.log.Log;
import com.mysql.cj.protocol.Resultset;
import com.mysql.cj.protocol.ServerSession;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Workaround for FLINK-36520: Flink CDC 3.5.0 (and the Debezium classes it bundles) read the
 * binlog position with {@code SHOW MASTER STATUS}, which MySQL 8.4 removed. Upstream fixed it in
 * Flink CDC 3.6.0, which is not available to us yet; delete this package once it is.
 *
 * <p>Instead of shadowing the upstream classes, this Connector/J query interceptor answers that
 * one statement with the result of {@code SHOW BINARY LOG STATUS} (same columns) when the server
 * is MySQL 8.2 or newer. Every other statement, and every MariaDB server, is left alone. Enable it
 * with the JDBC property {@code queryInterceptors=} {@value #CLASS_NAME}.
 */
public final class ShowBinaryLogStatusInterceptor implements QueryInterceptor {
    public static final String CLASS_NAME = "dev.ferry.compat.flink36520.ShowBinaryLogStatusInterceptor";
    static final String REPLACEMENT = "SHOW BINARY LOG STATUS";
    private static final ServerVersion FIRST_WITH_BINARY_LOG_STATUS = new ServerVersion(8, 2, 0);

    private MysqlConnection connection;

    @Override
    public QueryInterceptor init(MysqlConnection conn, Properties props, Log log) {
        this.connection = conn;
        return this;
    }

    /** True for Flink CDC's statement, in any letter case and spacing. */
    static boolean isShowMasterStatus(String sql) {
        return sql != null && sql.length() < 64 && sql.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT).equals("SHOW MASTER STATUS");
    }

    static boolean needsReplacement(ServerVersion version) {
        return version != null
                && version.meetsMinimum(FIRST_WITH_BINARY_LOG_STATUS)
                && !version.toString().contains("MariaDB");
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends Resultset> T preProcess(Supplier<String> sql, Query interceptedQuery) {
        // cheap tests first: this runs for every statement of every connection, and rendering a prepared
        // statement's text (sql.get()) with its bound values costs more than executing a batch row
        if (sql == null || interceptedQuery instanceof PreparedQuery
                || !needsReplacement(connection.getSession().getServerSession().getServerVersion())
                || !isShowMasterStatus(sql.get())) {
            return null;
        }
        try {
            Statement replacement = ((Connection) connection).createStatement();
            // closed together with the result set, which the caller closes with its own statement
            replacement.closeOnCompletion();
            return (T) replacement.executeQuery(REPLACEMENT);
        } catch (SQLException e) {
            throw new IllegalStateException(REPLACEMENT + " failed (FLINK-36520 workaround): " + e.getMessage(), e);
        }
    }

    @Override
    public boolean executeTopLevelOnly() {
        return true; // the replacement query itself must not be intercepted again
    }

    @Override
    public void destroy() {
        connection = null;
    }

    @Override
    public <T extends Resultset> T postProcess(Supplier<String> sql, Query interceptedQuery, T originalResultSet,
            ServerSession serverSession) {
        return null;
    }
}
