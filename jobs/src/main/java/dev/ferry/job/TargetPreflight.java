package dev.ferry.job;

import dev.ferry.common.TableId;
import dev.ferry.config.SiteConfig;
import dev.ferry.dialect.Dialect;
import dev.ferry.dialect.Dialects;
import dev.ferry.dialect.schema.SourceTable;
import dev.ferry.dialect.schema.TargetCatalog;
import dev.ferry.dialect.schema.TargetTable;
import dev.ferry.dialect.schema.UntranslatableDdlException;
import dev.ferry.loop.FerryTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up work for a PostgreSQL or Oracle target: Ferry's system tables, and every included table
 * created from the source's definition through the type map. A column type without a faithful mapping
 * stops the direction here, before anything is copied.
 */
final class TargetPreflight {
    private static final Logger LOG = LoggerFactory.getLogger(TargetPreflight.class);

    private TargetPreflight() {}

    static void prepare(SiteConfig from, Connection source, SiteConfig to, Connection target, List<TableId> tables)
            throws SQLException {
        Dialect dialect = dialect(to, target);
        Preflight.failOnTriggers(to, target, tables);
        ensureFerryTables(to, target, dialect);
        boolean mariaDb = source.getMetaData().getDatabaseProductVersion().contains("MariaDB");
        for (TableId t : tables) {
            SourceTable definition = SourceTableReader.read(source, t, mariaDb);
            TargetTable current = TargetCatalog.read(target, dialect, t);
            List<String> statements;
            try {
                statements = current.columns().isEmpty() ? createTable(dialect, definition)
                        : dialect.schema().alterTable(definition, current);
            } catch (UntranslatableDdlException e) {
                throw new FerryException("Table " + t + " at site '" + from.name() + "' cannot be replicated to "
                        + to.kind().displayName() + " site '" + to.name() + "': " + e.getMessage() + " Fix: leave the"
                        + " table out with 'tables.exclude', or change the column at the source to a type in the"
                        + " type map in docs/postgres-oracle.md.", e);
            }
            if (!current.columns().isEmpty()) {
                if (!statements.isEmpty()) {
                    LOG.warn("Table {} at site '{}' differs from its definition at site '{}'; Ferry leaves it as it is."
                            + " To make it match: {}", t, to.name(), from.name(), String.join("; ", statements));
                }
                continue;
            }
            try (Statement s = target.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            } catch (SQLException e) {
                throw new FerryException("Table " + t + " is missing at site '" + to.name() + "', and creating it"
                        + " failed: " + e.getMessage() + ". Statements: " + String.join("; ", statements) + ". Fix: create"
                        + " the table at '" + to.name() + "' yourself, with the same columns and primary key.", e);
            }
            LOG.info("Created table {} at {} site '{}': {}", t, to.kind().displayName(), to.name(),
                    String.join("; ", statements));
        }
    }

    /** The table with its schema, if the target's schema must be created too. */
    static List<String> createTable(Dialect dialect, SourceTable table) {
        List<String> statements = new ArrayList<>(dialect.schema().createSchema(table.id().database()));
        statements.addAll(dialect.schema().createTable(table));
        return statements;
    }

    static Dialect dialect(SiteConfig site, Connection c) throws SQLException {
        return Dialects.forUrl(site.url(), c.getMetaData().getDatabaseProductVersion(), site.identifiers());
    }

    static void ensureFerryTables(SiteConfig site, Connection c, Dialect dialect) throws SQLException {
        String file = TargetChecks.schemaFile(site);
        try (Statement s = c.createStatement()) {
            for (String sql : FerryTables.schemaStatements(file)) {
                try {
                    s.execute(sql);
                } catch (SQLException e) {
                    if (!dialect.schema().isAlreadySatisfied(e)) {
                        throw new FerryException("Cannot create Ferry's system tables at site '" + site.name() + "': "
                                + e.getMessage() + ". Fix: run sql/" + file + " there as an admin and grant Ferry's user"
                                + " SELECT, INSERT, UPDATE and DELETE on them.", e);
                    }
                }
            }
        }
    }
}
