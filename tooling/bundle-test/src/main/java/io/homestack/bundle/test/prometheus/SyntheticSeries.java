package io.homestack.bundle.test.prometheus;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Synthetic series for a test Prometheus, written the way promtool unit tests write {@code input_series}:
 * <pre>
 * interval: 30s
 * series:
 *   - series: 'kube_pod_info{namespace="media", pod="sonarr-0"}'
 *     values: '1x120'          # a, a+bxn, a-bxn, axn, _ (no sample), _xn; space separated
 * </pre>
 * The last value of every series lands at the end time given to {@link #openMetrics}; earlier ones one interval apart.
 */
public final class SyntheticSeries {

    private static final Pattern SERIES = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*\\s*=\\s*\"(?:[^\"\\\\]|\\\\.)*\"\\s*,?\\s*)*})?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*(\"(?:[^\"\\\\]|\\\\.)*\")");
    private static final Pattern STEP = Pattern.compile(
            "(-?[0-9]+(?:\\.[0-9]+)?(?:e[+-]?[0-9]+)?|_)(?:([+-][0-9]+(?:\\.[0-9]+)?)?x([0-9]+))?");

    private record Series(String metric, String selector, List<Double> values) {
    }

    private final Duration interval;
    private final List<Series> series;

    private SyntheticSeries(Duration interval, List<Series> series) {
        this.interval = interval;
        this.series = series;
    }

    public static SyntheticSeries read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static SyntheticSeries parse(String yaml, String source) {
        Map<String, Object> doc = Yaml.readMap(yaml, source);
        Duration interval = duration(KubeObject.string(doc.getOrDefault("interval", "30s")), source);
        List<Series> all = new ArrayList<>();
        for (Object entry : KubeObject.list(doc.get("series"))) {
            Map<String, Object> e = KubeObject.map(entry);
            String selector = KubeObject.string(e.get("series"));
            Matcher m = selector == null ? null : SERIES.matcher(selector.strip());
            if (m == null || !m.matches()) {
                throw new IllegalArgumentException(source + ": series '" + selector + "' is not metric{label=\"value\", ...}");
            }
            all.add(new Series(m.group(1), canonical(m.group(1), selector.strip()), values(KubeObject.string(e.get("values")), source, selector)));
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException(source + ": no series");
        }
        return new SyntheticSeries(interval, all);
    }

    public Duration interval() {
        return interval;
    }

    /** The longest series' time span. */
    public Duration span() {
        int max = series.stream().mapToInt(s -> s.values().size()).max().orElse(1);
        return interval.multipliedBy(max - 1L);
    }

    /**
     * OpenMetrics text (one family after the other, each series in time order, no TYPE: "unknown" keeps any name),
     * the format of {@code promtool tsdb create-blocks-from openmetrics}; endSeconds is the last sample's time.
     */
    public String openMetrics(long endSeconds) {
        Map<String, List<Series>> families = new LinkedHashMap<>();
        series.forEach(s -> families.computeIfAbsent(s.metric(), k -> new ArrayList<>()).add(s));
        StringBuilder out = new StringBuilder();
        long step = interval.toSeconds();
        families.values().forEach(members -> members.forEach(s -> {
            int n = s.values().size();
            for (int i = 0; i < n; i++) {
                Double v = s.values().get(i);
                if (v != null) {
                    out.append(s.selector()).append(' ').append(format(v)).append(' ')
                            .append(endSeconds - (n - 1L - i) * step).append('\n');
                }
            }
        }));
        return out.append("# EOF\n").toString();
    }

    /** {@code name{a="1",b="2"}}: OpenMetrics allows no spaces in the label set. */
    private static String canonical(String metric, String selector) {
        List<String> labels = new ArrayList<>();
        Matcher l = LABEL.matcher(selector.substring(metric.length()));
        while (l.find()) {
            labels.add(l.group(1) + "=" + l.group(2));
        }
        return labels.isEmpty() ? metric : metric + "{" + String.join(",", labels) + "}";
    }

    static List<Double> values(String text, String source, String selector) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(source + ": series " + selector + " has no values");
        }
        List<Double> out = new ArrayList<>();
        for (String token : text.strip().split("\\s+")) {
            Matcher m = STEP.matcher(token);
            if (!m.matches()) {
                throw new IllegalArgumentException(source + ": series " + selector + ": '" + token
                        + "' is not a, a+bxn, a-bxn, axn, _ or _xn");
            }
            boolean missing = m.group(1).equals("_");
            double start = missing ? 0 : Double.parseDouble(m.group(1));
            double delta = m.group(2) == null ? 0 : Double.parseDouble(m.group(2));
            int times = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
            // promtool: a+bxn is n+1 samples (a, a+b, ... a+n*b); _xn is n missing samples
            int count = missing && times > 0 ? times : times + 1;
            for (int i = 0; i < count; i++) {
                out.add(missing ? null : start + i * delta);
            }
        }
        return out;
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static Duration duration(String text, String source) {
        Matcher m = Pattern.compile("([0-9]+)(s|m|h)").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(source + ": interval '" + text + "' is not <n>s, <n>m or <n>h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
