package dev.sealpost.sieve.internal;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Date-time values of header fields (RFC 5322 §3.3) and the date parts of RFC 5260 §4.2. */
public final class Dates {
    private Dates() {}

    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    // RFC 5322 §4.3: obsolete zone names
    private static final Map<String, Integer> ZONES = Map.of("ut", 0, "gmt", 0, "est", -500, "edt", -400,
            "cst", -600, "cdt", -500, "mst", -700, "mdt", -600, "pst", -800, "pdt", -700);
    private static final Pattern DATE = Pattern.compile(
            "(?:[A-Za-z]{3}\\s*,\\s*)?(\\d{1,2})\\s+([A-Za-z]{3})\\s+(\\d{2,4})\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s*([+-]\\d{4}|[A-Za-z]{1,5})?.*");

    /** Parses an RFC 5322 date-time (comments dropped, obsolete forms accepted); null when it is not one. */
    public static ZonedDateTime parse(String value) {
        String v = value.replaceAll("\\([^()]*\\)", " ").strip();
        Matcher m = DATE.matcher(v);
        if (!m.matches()) return null;
        int month = -1;
        for (int i = 0; i < 12; i++) if (MONTHS[i].equalsIgnoreCase(m.group(2))) month = i + 1;
        if (month < 0) return null;
        int year = Integer.parseInt(m.group(3));
        if (m.group(3).length() == 2) year += year < 50 ? 2000 : 1900; // RFC 5322 §4.3
        else if (m.group(3).length() == 3) year += 1900;
        int offset = 0;
        String z = m.group(7);
        if (z != null) {
            if (z.charAt(0) == '+' || z.charAt(0) == '-') offset = Integer.parseInt(z.substring(1)) * (z.charAt(0) == '-' ? -1 : 1);
            else offset = ZONES.getOrDefault(z.toLowerCase(Locale.ROOT), 0); // military zones count as -0000 (RFC 5322 §4.3)
        }
        try {
            ZoneOffset zo = ZoneOffset.ofHoursMinutes(offset / 100, offset % 100);
            return ZonedDateTime.of(LocalDateTime.of(year, month, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)), m.group(6) == null ? 0 : Integer.parseInt(m.group(6))), zo);
        } catch (java.time.DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    /** A zone argument "+hhmm"/"-hhmm" (RFC 5260 §4.3); null when invalid. */
    public static ZoneOffset zone(String z) {
        if (!z.matches("[+-][0-9]{4}")) return null;
        int h = Integer.parseInt(z.substring(1, 3)), mi = Integer.parseInt(z.substring(3));
        if (h > 14 || mi > 59) return null;
        try {
            return z.charAt(0) == '-' ? ZoneOffset.ofHoursMinutes(-h, -mi) : ZoneOffset.ofHoursMinutes(h, mi);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** The date part (RFC 5260 §4.2) of {@code t}; null for an unknown part name. */
    public static String part(ZonedDateTime t, String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "year" -> String.format("%04d", t.getYear());
            case "month" -> String.format("%02d", t.getMonthValue());
            case "day" -> String.format("%02d", t.getDayOfMonth());
            case "date" -> String.format("%04d-%02d-%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth());
            // RFC 5260 §4.2: the Modified Julian Day (days since 1858-11-17)
            case "julian" -> String.valueOf(t.toLocalDate().toEpochDay() + 40587);
            case "hour" -> String.format("%02d", t.getHour());
            case "minute" -> String.format("%02d", t.getMinute());
            case "second" -> String.format("%02d", t.getSecond());
            case "time" -> String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
            case "iso8601" -> t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx"));
            case "std11" -> t.format(DateTimeFormatter.ofPattern("EEE, d MMM uuuu HH:mm:ss xx", Locale.ROOT));
            case "zone" -> t.format(DateTimeFormatter.ofPattern("xx"));
            case "weekday" -> String.valueOf(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
            default -> null;
        };
    }
}
