package dev.sealpost.filter.links;

/**
 * One link found in a text part.
 *
 * @param href the target as written (HTML entities decoded), at most {@link LinkExtractor#MAX_URL} characters
 * @param text the text shown for it (an HTML anchor's text, tags removed, white space collapsed);
 *             for a link in plain text, the URL itself
 * @param html true when it came from an HTML anchor
 */
public record Link(String href, String text, boolean html) {}
