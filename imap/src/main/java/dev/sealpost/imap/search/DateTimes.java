package dev.sealpost.imap.search;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/** Date parsing for SEARCH and SORT: IMAP {@code date} arguments and RFC 5322 Date header fields. */
public final class DateTimes {
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};

    private DateTimes() {}

    /** RFC 9051 §9 {@code date-text = date-day "-" date-month "-" date-year}, e.g. {@code 1-Feb-1994}; null when invalid. */
    public static LocalDate imapDate(String s) {
        if (s == null) return null;
        String[] p = s.split("-", -1);
        if (p.length != 3 || p[0].isEmpty() || p[0].length() > 2 || p[2].length() != 4) return null;
        int day = digits(p[0]);
        int month = month(p[1]);
        int year = digits(p[2]);
        if (day < 1 || month < 1 || year < 0) return null;
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * An RFC 5322 §3.3 {@code date-time}, with the obsolete forms of §4.3 (two- and three-digit
     * years, alphabetic zones, comments); null when it cannot be read. Leniency: the day name, the
     * seconds and the zone are optional (a missing zone is read as +0000), as Dovecot does.
     */
    public static OffsetDateTime rfc5322(String s) {
        if (s == null) return null;
        String t = stripComments(s).replace(',', ' ').trim();
        if (t.length() > 200) return null;
        String[] w = t.split("[ \\t\\r\\n]+");
        int i = 0;
        if (i < w.length && w[i].length() >= 3 && Character.isLetter(w[i].charAt(0))) i++; // day-of-week
        if (w.length - i < 3) return null;
        int day = digits(w[i]);
        int month = month(w[i + 1]);
        int year = digits(w[i + 2]);
        if (day < 1 || day > 31 || month < 1 || year < 0) return null;
        // RFC 5322 §4.3: a two-digit year below 50 is 20xx, otherwise 19xx; three digits add 1900
        if (w[i + 2].length() == 2) year += year < 50 ? 2000 : 1900;
        else if (w[i + 2].length() == 3) year += 1900;
        i += 3;
        int hour = 0, minute = 0, second = 0;
        if (i < w.length && w[i].indexOf(':') > 0) {
            String[] hms = w[i].split(":", -1);
            if (hms.length < 2 || hms.length > 3) return null;
            hour = digits(hms[0]);
            minute = digits(hms[1]);
            second = hms.length == 3 ? digits(hms[2]) : 0;
            if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return null;
            if (second == 60) second = 59; // leap second
            i++;
        }
        ZoneOffset zone = i < w.length ? zone(w[i]) : ZoneOffset.UTC;
        if (zone == null) zone = ZoneOffset.UTC; // RFC 5322 §4.3: unknown zones are treated as -0000
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, 0, zone);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static ZoneOffset zone(String z) {
        if ((z.startsWith("+") || z.startsWith("-")) && z.length() == 5) {
            int v = digits(z.substring(1));
            if (v < 0) return null;
            int h = v / 100, m = v % 100;
            if (h > 18 || m > 59) return null;
            try {
                int secs = (h * 3600 + m * 60) * (z.charAt(0) == '-' ? -1 : 1);
                return ZoneOffset.ofTotalSeconds(secs);
            } catch (DateTimeException e) {
                return null;
            }
        }
        // RFC 5322 §4.3 obs-zone
        return switch (z.toUpperCase(Locale.ROOT)) {
            case "UT", "GMT", "Z" -> ZoneOffset.UTC;
            case "EDT" -> ZoneOffset.ofHours(-4);
            case "EST", "CDT" -> ZoneOffset.ofHours(-5);
            case "CST", "MDT" -> ZoneOffset.ofHours(-6);
            case "MST", "PDT" -> ZoneOffset.ofHours(-7);
            case "PST" -> ZoneOffset.ofHours(-8);
            default -> null;
        };
    }

    private static String stripComments(String s) {
        if (s.indexOf('(') < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && depth > 0) {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
                b.append(' ');
            } else if (depth == 0) {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static int month(String m) {
        if (m.length() != 3) return -1;
        String l = m.toLowerCase(Locale.ROOT);
        for (int i = 0; i < 12; i++) if (MONTHS[i].equals(l)) return i + 1;
        return -1;
    }

    /** Non-negative decimal of at most 9 digits, or -1. */
    static int digits(String s) {
        if (s.isEmpty() || s.length() > 9) return -1;
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
