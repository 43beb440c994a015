package io.homestack.nzbget.exporter;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * nzbget's API answers as Prometheus metrics: the names, labels and meanings of frebib's nzbget-exporter (0.2.2, the
 * image this replaces, plus its later per-server article counts) so dashboards and alerts written for it keep working,
 * and two of ours: {@code nzbget_up} and {@code nzbget_queue_groups} by status.
 *
 * <p>Every family is a gauge. frebib typed some of them as counters, but the Java client writes a counter's samples as
 * {@code <name>_total}, which would rename them; and most are sums over the history, which shrinks when nzbget drops old
 * entries, so gauge is the honest type. The sample names are what PromQL sees; they are unchanged.
 *
 * <p>Where the values differ from frebib's, it is a fix (README, "Metrics"): {@code nzbget_post_active} and
 * {@code nzbget_scan_active} are 1 while active as their names say (frebib gave the paused flag),
 * {@code nzbget_history_par_repair_time_seconds} sums the repair times (frebib summed the par-check times again), and
 * {@code nzbget_start_time_seconds} is nzbget's own clock minus its uptime (frebib used the exporter's clock, so the
 * value moved with every scrape).
 */
public final class NzbgetMetrics {

    /** listgroups' documented statuses: each is exported, 0 when no group has it, so a query never finds nothing. */
    static final List<String> GROUP_STATUSES = List.of("QUEUED", "PAUSED", "DOWNLOADING", "FETCHING", "PP_QUEUED",
            "LOADING_PARS", "VERIFYING_SOURCES", "REPAIRING", "VERIFYING_REPAIRED", "RENAMING", "UNPACKING", "MOVING",
            "EXECUTING_SCRIPT", "PP_FINISHED");

    /** What one scrape reads from nzbget: the result of each method. */
    public record Answers(JsonNode version, JsonNode config, JsonNode status, JsonNode serverVolumes, JsonNode history,
                          JsonNode groups) {

        /** The methods, in the order of the record's components. */
        public static final List<String> METHODS = List.of("version", "config", "status", "servervolumes", "history",
                "listgroups");

        static Answers of(List<JsonNode> results) {
            return new Answers(results.get(0), results.get(1), results.get(2), results.get(3), results.get(4),
                    results.get(5));
        }
    }

    private NzbgetMetrics() {
    }

    /** Only {@code nzbget_up 0}: nothing else is known while nzbget does not answer. */
    public static MetricSnapshots down() {
        return MetricSnapshots.of(up(0));
    }

    /**
     * The metrics of one scrape.
     *
     * @throws IllegalArgumentException naming the method and field when an answer does not have the documented shape
     */
    public static MetricSnapshots of(Answers answers) {
        Families f = new Families();
        f.add(up(1));
        f.gauge("nzbget_version", "Always 1; the label version is nzbget's version",
                Map.of(Labels.of("version", text(answers.version(), "version")), 1.0));

        Map<String, String> config = config(answers.config());
        String diskSpace = config.get("DiskSpace");
        if (diskSpace != null) {
            f.gauge("nzbget_disk_min_bytes", "Disk space limit before pausing the download queue (DiskSpace)",
                    megabytes(diskSpace));
        }

        JsonNode status = object(answers.status(), "status");
        f.gauge("nzbget_article_cache_bytes", "Current usage of article cache", wide(status, "status", "ArticleCache"));
        f.gauge("nzbget_disk_free_bytes", "Free disk space on 'DestDir'", wide(status, "status", "FreeDiskSpace"));
        f.gauge("nzbget_download_limit", "Current download limit, in bytes per second", number(status, "status", "DownloadLimit"));
        f.gauge("nzbget_download_paused", "1 if the download queue is paused, 0 otherwise", flag(status, "status", "DownloadPaused"));
        f.gauge("nzbget_download_time_seconds", "Server download time in seconds", number(status, "status", "DownloadTimeSec"));
        f.gauge("nzbget_downloaded_total_bytes", "Total data downloaded since server start", wide(status, "status", "DownloadedSize"));
        f.gauge("nzbget_forced_bytes", "Remaining size of entries with FORCE priority", wide(status, "status", "ForcedSize"));
        f.gauge("nzbget_post_job_count", "Number of Par-Jobs or Post-processing script jobs in the post-processing queue",
                number(status, "status", "PostJobCount"));
        f.gauge("nzbget_post_active", "1 if post-processor queue is currently active, 0 if paused",
                1 - flag(status, "status", "PostPaused"));
        f.gauge("nzbget_quota_day_bytes", "Downloaded today, in bytes (the daily quota counts this)", wide(status, "status", "DaySize"));
        f.gauge("nzbget_quota_month_bytes", "Downloaded this month, in bytes (the monthly quota counts this)",
                wide(status, "status", "MonthSize"));
        f.gauge("nzbget_quota_reached", "1 if quota has been hit, 0 otherwise", flag(status, "status", "QuotaReached"));
        f.gauge("nzbget_queue_remaining_bytes", "Remaining size of all entries in download queue",
                wide(status, "status", "RemainingSize"));
        f.gauge("nzbget_resume_time", "Time to resume if set with method \"scheduleresume\", in unixtime (0: none)",
                number(status, "status", "ResumeTime"));
        f.gauge("nzbget_scan_active", "1 if the scanning of incoming nzb-directory is currently active, 0 if paused",
                1 - flag(status, "status", "ScanPaused"));
        f.gauge("nzbget_standby", "1 if no downloads in progress (server paused or all jobs completed), otherwise 0 if"
                + " there are currently downloads running", flag(status, "status", "ServerStandBy"));
        f.gauge("nzbget_start_time_seconds", "Server start time, in unixtime",
                number(status, "status", "ServerTime") - number(status, "status", "UpTimeSec"));
        f.gauge("nzbget_thread_count", "Number of threads running", number(status, "status", "ThreadCount"));
        f.gauge("nzbget_url_count", "Number of URLs in the URL-queue (including current file)", number(status, "status", "UrlCount"));

        newsServers(f, config, status, answers.serverVolumes());
        history(f, answers.history());
        groups(f, answers.groups());
        return f.snapshots();
    }

    private static MetricSnapshot up(double value) {
        return gauge("nzbget_up", "1 if nzbget's API answered this scrape with the configured login, 0 otherwise"
                + " (the exporter's log says why)", Map.of(Labels.EMPTY, value));
    }

    /** nzbget_news_server_*{id, server}: server names from the configuration (Server<id>.Name). */
    private static void newsServers(Families f, Map<String, String> config, JsonNode status, JsonNode volumes) {
        Map<Labels, Double> active = new LinkedHashMap<>();
        for (JsonNode server : array(status.get("NewsServers"), "status.NewsServers")) {
            active.put(server(config, number(server, "status.NewsServers", "ID")), flag(server, "status.NewsServers", "Active"));
        }
        f.gauge("nzbget_news_server_active", "News server used for obtaining articles, 1 if active", active);

        Map<Labels, Double> bytes = new LinkedHashMap<>();
        Map<Labels, Double> success = new LinkedHashMap<>();
        Map<Labels, Double> failed = new LinkedHashMap<>();
        for (JsonNode volume : array(volumes, "servervolumes")) {
            long id = number(volume, "servervolumes", "ServerID");
            if (id == 0) {
                continue; // the totals of all servers
            }
            Labels labels = server(config, id);
            bytes.put(labels, wide(volume, "servervolumes", "TotalSize"));
            // Per-day article counts: nzbget 24 and later only.
            if (volume.has("ArticlesPerDays")) {
                double ok = 0;
                double bad = 0;
                for (JsonNode day : array(volume.get("ArticlesPerDays"), "servervolumes.ArticlesPerDays")) {
                    ok += number(day, "servervolumes.ArticlesPerDays", "Success");
                    bad += number(day, "servervolumes.ArticlesPerDays", "Failed");
                }
                success.put(labels, ok);
                failed.put(labels, bad);
            }
        }
        f.gauge("nzbget_news_server_total_bytes", "Total bytes downloaded from this news server", bytes);
        f.gauge("nzbget_news_server_total_article_success", "Total successful articles from this news server", success);
        f.gauge("nzbget_news_server_total_article_failed", "Total failed articles from this news server", failed);
    }

    private static Labels server(Map<String, String> config, long id) {
        return Labels.of("id", String.valueOf(id), "server", config.getOrDefault("Server" + id + ".Name", ""));
    }

    /** nzbget_history_*: sums over the history's entries, and counts by category and status. */
    private static void history(Families f, JsonNode history) {
        String where = "history";
        double fileSize = 0;
        double files = 0;
        double remaining = 0;
        double articles = 0;
        double articlesOk = 0;
        double articlesFailed = 0;
        double downloadTime = 0;
        double downloaded = 0;
        double postTime = 0;
        double parTime = 0;
        double repairTime = 0;
        double unpackTime = 0;
        Map<Labels, Double> categories = new TreeMap<>();
        Map<Labels, Double> statuses = new TreeMap<>();
        Map<Labels, Double> parStatuses = new TreeMap<>();
        Map<Labels, Double> unpackStatuses = new TreeMap<>();
        for (JsonNode entry : array(history, where)) {
            fileSize += wide(entry, where, "FileSize");
            files += number(entry, where, "FileCount");
            remaining += number(entry, where, "RemainingFileCount");
            articles += number(entry, where, "TotalArticles");
            articlesOk += number(entry, where, "SuccessArticles");
            articlesFailed += number(entry, where, "FailedArticles");
            downloadTime += number(entry, where, "DownloadTimeSec");
            downloaded += wide(entry, where, "DownloadedSize");
            postTime += number(entry, where, "PostTotalTimeSec");
            parTime += number(entry, where, "ParTimeSec");
            repairTime += number(entry, where, "RepairTimeSec");
            unpackTime += number(entry, where, "UnpackTimeSec");

            categories.merge(Labels.of("category", text(entry, where, "Category")), 1.0, Double::sum);
            // "SUCCESS/ALL", "FAILURE/PAR", "DELETED/MANUAL": status, then the reason.
            String[] status = text(entry, where, "Status").toLowerCase(Locale.ROOT).split("/", 2);
            statuses.merge(Labels.of("reason", status.length > 1 ? status[1] : "none", "status", status[0]), 1.0, Double::sum);
            parStatuses.merge(Labels.of("status", text(entry, where, "ParStatus").toLowerCase(Locale.ROOT)), 1.0, Double::sum);
            unpackStatuses.merge(Labels.of("status", text(entry, where, "UnpackStatus").toLowerCase(Locale.ROOT)), 1.0,
                    Double::sum);
        }
        f.gauge("nzbget_history_category_count", "Number of history items in each category", categories);
        f.gauge("nzbget_history_file_size_total_bytes", "Total bytes of all files in history", fileSize);
        f.gauge("nzbget_history_file_count", "Number of files in history", files);
        f.gauge("nzbget_history_file_remaining_count", "Number of remaining files parked in history", remaining);
        f.gauge("nzbget_history_article_count", "Number of articles in history", articles);
        f.gauge("nzbget_history_article_success_count", "Number of successful articles in history", articlesOk);
        f.gauge("nzbget_history_article_failed_count", "Number of failed articles in history", articlesFailed);
        f.gauge("nzbget_history_download_time_seconds", "Download time in seconds", downloadTime);
        f.gauge("nzbget_history_download_size_bytes", "Total downloaded size in history, in bytes", downloaded);
        f.gauge("nzbget_history_post_process_time_seconds", "Total post-processing time in seconds in history", postTime);
        f.gauge("nzbget_history_par_time_seconds", "Total par-check time in seconds in history", parTime);
        f.gauge("nzbget_history_par_repair_time_seconds", "Par-repair time in seconds in history", repairTime);
        f.gauge("nzbget_history_unpack_time_seconds", "Unpack time in seconds in history", unpackTime);
        f.gauge("nzbget_history_status_count", "Number of history items per status", statuses);
        f.gauge("nzbget_history_par_status_count", "Number of history items per par status", parStatuses);
        f.gauge("nzbget_history_unpack_status_count", "Number of history items per unpack status", unpackStatuses);
    }

    /** nzbget_queue_groups{status}: every documented status (0 when none), and any other nzbget reports. */
    private static void groups(Families f, JsonNode groups) {
        Map<String, Double> byStatus = new LinkedHashMap<>();
        GROUP_STATUSES.forEach(s -> byStatus.put(s, 0.0));
        for (JsonNode group : array(groups, "listgroups")) {
            byStatus.merge(text(group, "listgroups", "Status"), 1.0, Double::sum);
        }
        Map<Labels, Double> points = new LinkedHashMap<>();
        byStatus.forEach((status, count) -> points.put(Labels.of("status", status.toLowerCase(Locale.ROOT)), count));
        f.gauge("nzbget_queue_groups", "Groups (NZBs) in the download queue, by status (listgroups)", points);
    }

    /** The configuration as name to value (config answers a list of {Name, Value}). */
    static Map<String, String> config(JsonNode config) {
        Map<String, String> values = new HashMap<>();
        for (JsonNode option : array(config, "config")) {
            values.put(text(option, "config", "Name"), text(option, "config", "Value"));
        }
        return values;
    }

    private static double megabytes(String value) {
        try {
            return Long.parseLong(value.strip()) * 1024.0 * 1024.0;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("config: DiskSpace='" + value + "' is not a number of megabytes", e);
        }
    }

    /** A 64-bit size nzbget sends as two unsigned 32-bit halves, {@code <name>Lo} and {@code <name>Hi}. */
    static double wide(JsonNode object, String where, String name) {
        long lo = number(object, where, name + "Lo");
        long hi = number(object, where, name + "Hi");
        // As a signed 64-bit number, as frebib joined them: nzbget 21 sends "unknown" as all bits set, giving -1.
        return (double) ((hi << 32) + lo);
    }

    static long number(JsonNode object, String where, String name) {
        JsonNode value = object.get(name);
        if (value == null || !value.isNumber()) {
            throw new IllegalArgumentException(where + ": field " + name + " is " + (value == null ? "missing" : "not a number: " + value));
        }
        return value.asLong();
    }

    private static double flag(JsonNode object, String where, String name) {
        JsonNode value = object.get(name);
        if (value == null || !value.isBoolean()) {
            throw new IllegalArgumentException(where + ": field " + name + " is " + (value == null ? "missing" : "not a boolean: " + value));
        }
        return value.asBoolean() ? 1 : 0;
    }

    private static String text(JsonNode object, String where, String name) {
        JsonNode value = object.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(where + ": field " + name + " is " + (value == null ? "missing" : "not a string: " + value));
        }
        return value.asText();
    }

    private static String text(JsonNode value, String where) {
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(where + ": the result is not a string: " + value);
        }
        return value.asText();
    }

    private static JsonNode object(JsonNode value, String where) {
        if (value == null || !value.isObject()) {
            throw new IllegalArgumentException(where + ": the result is not an object: " + abbreviate(value));
        }
        return value;
    }

    private static Iterable<JsonNode> array(JsonNode value, String where) {
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException(where + ": the result is not a list: " + abbreviate(value));
        }
        return value;
    }

    private static String abbreviate(JsonNode value) {
        String text = String.valueOf(value);
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    private static MetricSnapshot gauge(String name, String help, Map<Labels, Double> points) {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(help);
        points.forEach((labels, value) -> gauge.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build()));
        return gauge.build();
    }

    /** The families of one scrape, in the order they are added. */
    private static final class Families {

        private final List<MetricSnapshot> snapshots = new ArrayList<>();

        void add(MetricSnapshot snapshot) {
            snapshots.add(snapshot);
        }

        void gauge(String name, String help, double value) {
            add(NzbgetMetrics.gauge(name, help, Map.of(Labels.EMPTY, value)));
        }

        void gauge(String name, String help, Map<Labels, Double> points) {
            add(NzbgetMetrics.gauge(name, help, points));
        }

        MetricSnapshots snapshots() {
            return new MetricSnapshots(snapshots);
        }
    }
}
