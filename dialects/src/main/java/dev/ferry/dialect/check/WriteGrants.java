package dev.ferry.dialect.check;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/** What Ferry's user needs at one database to write there, as statements for an admin, and whether it has it. */
public interface WriteGrants {

    /** The statements an admin runs to give Ferry's user what it needs there ({@code ferry prepare}). */
    List<String> statements(GrantRequest request);

    /**
     * Whether this connection's user may write Ferry's own tables and the replicated ones ({@code ferry check}).
     * Read-only.
     *
     * @param databases the databases Ferry writes at this site besides its own
     */
    Verdict check(Connection c, CheckedSite site, Set<String> databases) throws SQLException;
}
