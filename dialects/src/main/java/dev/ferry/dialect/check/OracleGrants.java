package dev.ferry.dialect.check;

import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Oracle: each replicated MySQL database is a schema (a user) of its own, so Ferry's user needs the ANY privileges.
 * Whether it holds them is not checked.
 */
public final class OracleGrants implements WriteGrants {

    /** Oracle folds the unquoted user name to upper case. */
    @Override
    public List<String> statements(GrantRequest r) {
        return List.of("GRANT CREATE SESSION, CREATE ANY TABLE, ALTER ANY TABLE, DROP ANY TABLE, CREATE ANY INDEX,"
                + " SELECT ANY TABLE, INSERT ANY TABLE, UPDATE ANY TABLE, DELETE ANY TABLE TO "
                + r.user().toUpperCase(Locale.ROOT) + ";");
    }

    @Override
    public Verdict check(Connection c, CheckedSite site, Set<String> databases) {
        return Verdict.warn("not checked for Oracle", "see the Privileges section of docs/operations.md");
    }
}
