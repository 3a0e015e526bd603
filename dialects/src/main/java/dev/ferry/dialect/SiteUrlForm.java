package dev.ferry.dialect;

import java.util.Comparator;
import java.util.List;

/**
 * How a site's JDBC URL is written in the channel file: its check reads the host after one of the prefixes and names
 * the forms and the example in its messages.
 *
 * @param prefixes how the URL starts, up to the host
 * @param named the prefixes messages suggest; a looser form the driver also takes (Oracle's without "//") is not
 * @param example a URL of this form, for a fix
 * @param pathNames what the path after the host names where the URL must have one ("database"); null if optional
 */
public record SiteUrlForm(List<String> prefixes, List<String> named, String example, String pathNames) {

    /** Every prefix is suggested. */
    public SiteUrlForm(List<String> prefixes, String example, String pathNames) {
        this(prefixes, prefixes, example, pathNames);
    }

    /** The URL from its host on, or null if it starts with none of the prefixes; a longer prefix is the one meant. */
    public String afterPrefix(String url) {
        return prefixes.stream().filter(url::startsWith).max(Comparator.comparingInt(String::length))
                .map(p -> url.substring(p.length())).orElse(null);
    }
}
