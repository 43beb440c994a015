package io.homestack.backup.velero;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a Velero Schedule's {@code spec.schedule} as Velero parses it (robfig/cron's standard parser): five fields,
 * minute 0-59, hour 0-23, day of month 1-31, month 1-12, day of week 0-6, each a list of {@code *}, {@code n} or
 * {@code n-m}, optionally with {@code /step}. Names (JAN, MON), descriptors (@daily) and CRON_TZ are not used here and
 * are rejected, so the check stays small and exact.
 */
final class CronExpression {

    private static final String[] FIELDS = {"minute", "hour", "day of month", "month", "day of week"};
    private static final int[][] RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}};

    private CronExpression() {
    }

    /** The reasons the expression is not a valid five-field cron expression; empty when it is. */
    static List<String> problems(String expression) {
        List<String> problems = new ArrayList<>();
        String[] fields = expression == null ? new String[0] : expression.trim().split("\\s+");
        if (fields.length != FIELDS.length) {
            problems.add("'" + expression + "' has " + fields.length + " fields, expected 5 (minute hour day month weekday)");
            return problems;
        }
        for (int i = 0; i < fields.length; i++) {
            for (String part : fields[i].split(",", -1)) {
                String problem = part(part, RANGES[i][0], RANGES[i][1]);
                if (problem != null) {
                    problems.add(FIELDS[i] + " '" + fields[i] + "': " + problem);
                }
            }
        }
        return problems;
    }

    private static String part(String part, int min, int max) {
        String[] stepped = part.split("/", -1);
        if (stepped.length > 2) {
            return "more than one '/'";
        }
        if (stepped.length == 2 && !positive(stepped[1])) {
            return "step '" + stepped[1] + "' is not a positive number";
        }
        if ("*".equals(stepped[0])) {
            return null;
        }
        String[] bounds = stepped[0].split("-", -1);
        if (bounds.length > 2) {
            return "more than one '-'";
        }
        for (String bound : bounds) {
            if (!bound.matches("\\d{1,2}") || Integer.parseInt(bound) < min || Integer.parseInt(bound) > max) {
                return "'" + bound + "' is not a number from " + min + " to " + max;
            }
        }
        if (bounds.length == 2 && Integer.parseInt(bounds[0]) > Integer.parseInt(bounds[1])) {
            return "range " + stepped[0] + " is backwards";
        }
        return null;
    }

    private static boolean positive(String s) {
        return s.matches("\\d{1,2}") && Integer.parseInt(s) > 0;
    }
}
