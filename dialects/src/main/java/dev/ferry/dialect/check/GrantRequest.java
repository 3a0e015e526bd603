package dev.ferry.dialect.check;

import java.util.List;
import java.util.Set;

/**
 * What the grants of one site depend on.
 *
 * @param user Ferry's user at the site, as the channel file names it
 * @param account the MySQL account ({@code 'user'@'host'}, quoted) the server matched that user's login to, or the
 *     user at any host where Ferry could not log in
 * @param source whether a direction reads the site
 * @param target whether a direction writes the site
 * @param databases the databases of the replicated tables
 * @param openPatterns the 'tables.include' patterns that name no one database, whose databases are known only once
 *     the user may see them
 */
public record GrantRequest(String user, String account, boolean source, boolean target, Set<String> databases,
        List<String> openPatterns) {}
