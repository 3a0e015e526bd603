package dev.ferry.job;

import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import dev.ferry.loop.FerryTables;
import dev.ferry.verify.RepairStamp;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A channel split over files: another file of the same channel applies into a direction's source. If the direction
 * has no reverse in its file, each file looks one-way, and a one-way direction has no conflict arbitration: both
 * sites' versions of a row written at once would cross and swap. If it has one, the other file's directions are
 * links of a tree this file does not know, so the direction would not relay what they apply at its source (see
 * ChannelConfig#relayedThrough): the changes of the sites behind them would never reach its target. Either way the
 * direction is refused by name; the way to place the sites is one file listing every direction, the same file
 * everywhere, each direction run where its target is ({@code --direction}).
 */
final class SplitChannelCheck {
    /** Markers this recent mean that direction runs (a running direction commits at least every few seconds). */
    static final Duration RUNNING_WITHIN = Duration.ofMinutes(10);

    private SplitChannelCheck() {}

    /**
     * @param source a connection to {@code direction}'s source site, which holds Ferry's tables
     * @return the problem if directions of the same channel that {@code config} lacks committed into
     *     {@code direction}'s source within {@link #RUNNING_WITHIN}
     */
    static Optional<Finding> find(ChannelConfig config, DirectionConfig direction, Connection source)
            throws SQLException {
        Set<String> listed = config.directions().stream().map(DirectionConfig::name).collect(Collectors.toSet());
        Set<String> elsewhere = new TreeSet<>();
        try (PreparedStatement ps = source.prepareStatement("SELECT DISTINCT direction FROM `"
                + FerryTables.COMMIT.database() + "`.`" + FerryTables.COMMIT.table() + "` WHERE channel = ? AND committed_at > UTC_TIMESTAMP() - INTERVAL "
                + RUNNING_WITHIN.toMinutes() + " MINUTE AND direction <> ?")) {
            ps.setString(1, config.channel());
            ps.setString(2, RepairStamp.DIRECTION); // ferry verify --repair's transactions: no direction of a file
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!listed.contains(rs.getString(1))) {
                        elsewhere.add(rs.getString(1));
                    }
                }
            }
        }
        if (elsewhere.isEmpty()) {
            return Optional.empty();
        }
        String others = String.join(", ", elsewhere);
        String restart = " If " + others + " was stopped for good, start this again " + RUNNING_WITHIN.toMinutes()
                + " minutes after its last commit.";
        if (config.reverseDirection(direction) != null) {
            return Optional.of(new Finding(direction.name() + ": channel '" + config.channel() + "' also runs "
                    + others + " into site '" + direction.from() + "' (its commit markers there are from the last "
                    + RUNNING_WITHIN.toMinutes() + " minutes), from a channel file that is not this one. This file"
                    + " does not list it, so " + direction.name() + " would not pass what it applies at '"
                    + direction.from() + "' on to '" + direction.to() + "': the changes of the sites behind it would"
                    + " never reach '" + direction.to() + "'.",
                    "list every direction of the channel in one channel file, give every site that same file, and"
                            + " run at each only the directions whose target it holds ('ferry run --direction "
                            + direction.name() + "'; docs/two-way.md, \"Two-way and multi-site\")." + restart));
        }
        String reverse = DirectionConfig.defaultName(direction.to(), direction.from());
        return Optional.of(new Finding(direction.name() + ": channel '" + config.channel() + "' also runs "
                + String.join(", ", elsewhere) + " into site '" + direction.from() + "' (its commit markers there are"
                + " from the last " + RUNNING_WITHIN.toMinutes() + " minutes), from a channel file that is not this"
                + " one. This file lists no " + reverse + ", so " + direction.name() + " would run one-way, without"
                + " conflict arbitration: a row written at both sites at once could end swapped, with no record.",
                "list both directions in one channel file, give each data centre that same file, and run there only"
                        + " the direction whose target it holds ('ferry run --direction " + direction.name() + "' or"
                        + " 'ferry submit --direction " + direction.name() + "'; docs/two-way.md, \"Two data"
                        + " centres\")." + restart));
    }
}
