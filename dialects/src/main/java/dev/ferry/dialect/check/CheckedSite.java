package dev.ferry.dialect.check;

/** The site a check looks at, as its messages name it: the site's name in the channel file and Ferry's user there. */
public record CheckedSite(String name, String user) {}
