package io.github.distlock.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Parses and prints durations on the command line: {@code 500ms}, {@code 5s}, {@code 1.5s},
 * {@code 2m}, {@code 1h}, {@code 1d}, combinations such as {@code 1m30s}, a bare number of
 * seconds as in {@code flock -w 5}, and ISO-8601 ({@code PT5S}).
 */
public final class Durations implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    private static final Pattern BARE = Pattern.compile("\\d+(?:\\.\\d+)?");

    /** Creates the converter; picocli instantiates it for {@code Duration} options. */
    public Durations() {
    }

    /**
     * Converts an option value for picocli.
     *
     * @param value the text
     * @return the duration
     * @throws CommandLine.TypeConversionException if the text is not a duration
     */
    @Override
    public Duration convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /**
     * Parses a duration.
     *
     * @param text the text, for example {@code 500ms}, {@code 1m30s}, {@code 5} or {@code PT5S}
     * @return the duration, never negative
     * @throws IllegalArgumentException if the text is not a duration or is negative
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (use 500ms, 5s, 2m, 1h or PT5S)");
        }
        if (t.startsWith("p")) {
            try {
                Duration d = Duration.parse(text.trim());
                if (d.isNegative()) {
                    throw new IllegalArgumentException("'" + text + "' is negative");
                }
                return d;
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration such as PT5S");
            }
        }
        if (BARE.matcher(t).matches()) {
            return ofUnit(new BigDecimal(t), "s");
        }
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.lookingAt()) {
            total = total.plus(ofUnit(new BigDecimal(m.group(1)), m.group(2)));
            end = m.end();
            m.region(end, t.length());
        }
        if (end != t.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (use 500ms, 5s, 2m, 1h or PT5S)");
        }
        return total;
    }

    private static Duration ofUnit(BigDecimal amount, String unit) {
        long nanosPerUnit = switch (unit) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
        BigDecimal nanos = amount.multiply(BigDecimal.valueOf(nanosPerUnit));
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("'" + amount + unit + "' is too long");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /**
     * Prints a duration the way people read it: {@code 850ms}, {@code 12.3s}, {@code 2m05s},
     * {@code 1h02m}.
     *
     * @param d the duration
     * @return the text
     */
    public static String format(Duration d) {
        if (d.isNegative()) {
            return "-" + format(d.negated());
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = d.toSeconds();
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
