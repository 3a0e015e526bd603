package dev.ferry.dialect.check;

import dev.ferry.common.TableId;
import dev.ferry.dialect.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/**
 * Triggers at a site Ferry writes that would run again on the rows it copies there: they ran at the site where a
 * row was written, so run again they make the sites differ. Read-only; used by start-up and {@code ferry check}.
 */
public interface TriggerCheck {

    /**
     * What is wrong with the triggers of these tables (one failure each), or the one verdict that passes or warns.
     *
     * @param dialect the site's dialect, which spells the tables' names there
     */
    List<Verdict> check(Connection c, CheckedSite site, Dialect dialect, Collection<TableId> tables)
            throws SQLException;
}
