package dev.ferry.compat.flink36520;

import com.mysql.cj.MysqlConnection;
import com.mysql.cj.Query;
import com.mysql.cj.ServerVersion;
import com.mysql.cj.interceptors.QueryInterceptor;
import com.mysql.cj.log.Log;
import com.mysql.cj.protocol.Message;
import com.mysql.cj.protocol.Resultset;
import com.mysql.cj.protocol.ServerSession;
import com.mysql.cj.protocol.a.NativeConstants;
import com.mysql.cj.protocol.a.NativeConstants.IntegerDataType;
import com.mysql.cj.protocol.a.NativeConstants.StringLengthDataType;
import com.mysql.cj.protocol.a.NativePacketPayload;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Workaround for FLINK-36520: Flink CDC 3.5.0 (and the Debezium classes it bundles) read the
 * binlog position with {@code SHOW MASTER STATUS}, which MySQL 8.4 removed. Upstream fixed it in
 * Flink CDC 3.6.0, which is not available to us yet; delete this package once it is.
 *
 * <p>Instead of shadowing the upstream classes, this Connector/J query interceptor rewrites that
 * one statement on the wire to {@code SHOW BINARY LOG STATUS} (same columns) when the server is
 * MySQL 8.2 or newer. Every other statement, and every MariaDB server, is left alone. Enable it
 * with the JDBC property {@code queryInterceptors=} {@value #CLASS_NAME}.
 */
public final class ShowBinaryLogStatusInterceptor implements QueryInterceptor {
    public static final String CLASS_NAME = "dev.ferry.compat.flink36520.ShowBinaryLogStatusInterceptor";

    static final byte[] OLD = "SHOW MASTER STATUS".getBytes(StandardCharsets.US_ASCII);
    static final byte[] NEW = "SHOW BINARY LOG STATUS".getBytes(StandardCharsets.US_ASCII);
    private static final ServerVersion FIRST_WITH_BINARY_LOG_STATUS = new ServerVersion(8, 2, 0);

    private MysqlConnection connection;

    @Override
    public QueryInterceptor init(MysqlConnection conn, Properties props, Log log) {
        this.connection = conn;
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <M extends Message> M preProcess(M queryPacket) {
        if (!(queryPacket instanceof NativePacketPayload packet) || !serverNeedsRewrite()) {
            return null;
        }
        byte[] rewritten = rewrite(Arrays.copyOf(packet.getByteBuffer(), packet.getPosition()));
        if (rewritten == null) {
            return null;
        }
        NativePacketPayload out = new NativePacketPayload(rewritten.length);
        out.writeBytes(StringLengthDataType.STRING_FIXED, rewritten);
        return (M) out;
    }

    /**
     * Returns the COM_QUERY payload with a trailing {@code SHOW MASTER STATUS} replaced, or
     * {@code null} if it is another command. Query attributes, when the client sends them, sit
     * between the command byte and the text, so only the tail is compared.
     */
    static byte[] rewrite(byte[] payload) {
        if (payload.length <= OLD.length || payload[0] != NativeConstants.COM_QUERY) {
            return null;
        }
        int textStart = payload.length - OLD.length;
        for (int i = 0; i < OLD.length; i++) {
            if (Character.toUpperCase(payload[textStart + i]) != OLD[i]) {
                return null;
            }
        }
        byte[] out = Arrays.copyOf(payload, textStart + NEW.length);
        System.arraycopy(NEW, 0, out, textStart, NEW.length);
        return out;
    }

    private boolean serverNeedsRewrite() {
        ServerSession session = connection.getSession().getServerSession();
        ServerVersion version = session.getServerVersion();
        return version != null
                && version.meetsMinimum(FIRST_WITH_BINARY_LOG_STATUS)
                && !version.toString().contains("MariaDB");
    }

    @Override
    public <T extends Resultset> T preProcess(Supplier<String> sql, Query interceptedQuery) {
        return null;
    }

    @Override
    public boolean executeTopLevelOnly() {
        return false;
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

    static byte[] comQuery(String sql) {
        NativePacketPayload p = new NativePacketPayload(sql.length() + 1);
        p.writeInteger(IntegerDataType.INT1, NativeConstants.COM_QUERY);
        p.writeBytes(StringLengthDataType.STRING_FIXED, sql.getBytes(StandardCharsets.US_ASCII));
        return Arrays.copyOf(p.getByteBuffer(), p.getPosition());
    }
}
