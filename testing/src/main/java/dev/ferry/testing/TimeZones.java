package dev.ferry.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Site time zones as programs other than MySQL read them. */
final class TimeZones {
    private static final Pattern OFFSET = Pattern.compile("([+-])(\\d{2}):(\\d{2})");

    private TimeZones() {
    }

    /**
     * The zone as a POSIX TZ value, for PostgreSQL's timezone and the TZ variable: a bare "+08:00" means eight
     * hours west of UTC there, so an offset becomes {@code <+0800>-08:00}, eight hours east, as MySQL and
     * ISO 8601 mean it. Zone names such as {@code Asia/Shanghai} are returned as they are.
     */
    static String posix(String zone) {
        Matcher m = OFFSET.matcher(zone);
        if (!m.matches()) {
            return zone;
        }
        String inverted = (m.group(1).equals("+") ? "-" : "+") + m.group(2) + ":" + m.group(3);
        return "<" + m.group(1) + m.group(2) + m.group(3) + ">" + inverted;
    }
}
