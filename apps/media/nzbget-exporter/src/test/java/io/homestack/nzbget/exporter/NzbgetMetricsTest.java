package io.homestack.nzbget.exporter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homestack.bundle.test.prometheus.MetricsText;
import io.homestack.nzbget.exporter.NzbgetMetrics.Answers;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** nzbget's documented answers to frebib's metric names and ours, with exact values (fixtures: ApiFixtures). */
class NzbgetMetricsTest {

    private static final double GIB4 = 4294967296.0; // 2^32: one unit of a *Hi field

    @Test
    void statusGivesFrebibsGaugesWithTheHalvesOfEachSizeJoined() {
        MetricsText m = ApiFixtures.scrape(NzbgetMetrics.of(ApiFixtures.answers()));

        assertThat(m.value("nzbget_up")).isEqualTo(1.0);
        assertThat(m.value("nzbget_version{version=\"26.2\"}")).isEqualTo(1.0);
        assertThat(m.value("nzbget_article_cache_bytes")).isEqualTo(16777216.0);
        assertThat(m.value("nzbget_disk_free_bytes")).isEqualTo(25 * GIB4);
        assertThat(m.value("nzbget_disk_min_bytes")).as("DiskSpace is in MB").isEqualTo(250 * 1048576.0);
        assertThat(m.value("nzbget_download_limit")).isEqualTo(10485760.0);
        assertThat(m.value("nzbget_download_paused")).isEqualTo(1.0);
        assertThat(m.value("nzbget_download_time_seconds")).isEqualTo(1800.0);
        assertThat(m.value("nzbget_downloaded_total_bytes")).isEqualTo(2 * GIB4);
        assertThat(m.value("nzbget_forced_bytes")).isEqualTo(1048576.0);
        assertThat(m.value("nzbget_post_job_count")).isEqualTo(2.0);
        assertThat(m.value("nzbget_post_active")).as("PostPaused is true").isEqualTo(0.0);
        assertThat(m.value("nzbget_quota_day_bytes")).as("a Lo half above 2^31 is unsigned").isEqualTo(2147483648.0);
        assertThat(m.value("nzbget_quota_month_bytes")).isEqualTo(3 * GIB4);
        assertThat(m.value("nzbget_quota_reached")).isEqualTo(0.0);
        assertThat(m.value("nzbget_queue_remaining_bytes")).isEqualTo(GIB4 + 5);
        assertThat(m.value("nzbget_resume_time")).isEqualTo(1796126400.0);
        assertThat(m.value("nzbget_scan_active")).as("ScanPaused is false").isEqualTo(1.0);
        assertThat(m.value("nzbget_standby")).isEqualTo(0.0);
        assertThat(m.value("nzbget_start_time_seconds")).as("ServerTime - UpTimeSec").isEqualTo(1796122800.0 - 3600);
        assertThat(m.value("nzbget_thread_count")).isEqualTo(12.0);
        assertThat(m.value("nzbget_url_count")).isEqualTo(1.0);
    }

    @Test
    void newsServersAreNamedFromTheConfigurationAndTheTotalsRowIsSkipped() {
        MetricsText m = ApiFixtures.scrape(NzbgetMetrics.of(ApiFixtures.answers()));

        assertThat(m.family("nzbget_news_server_active")).containsExactly(
                entry("nzbget_news_server_active{id=\"1\",server=\"news-eu\"}", 1.0),
                entry("nzbget_news_server_active{id=\"2\",server=\"block-account\"}", 0.0));
        assertThat(m.family("nzbget_news_server_total_bytes")).containsExactly(
                entry("nzbget_news_server_total_bytes{id=\"1\",server=\"news-eu\"}", 2 * GIB4 + 1000),
                entry("nzbget_news_server_total_bytes{id=\"2\",server=\"block-account\"}", 0.0));
        assertThat(m.family("nzbget_news_server_total_article_success")).as("summed over the days").containsExactly(
                entry("nzbget_news_server_total_article_success{id=\"1\",server=\"news-eu\"}", 1200.0),
                entry("nzbget_news_server_total_article_success{id=\"2\",server=\"block-account\"}", 0.0));
        assertThat(m.family("nzbget_news_server_total_article_failed")).containsExactly(
                entry("nzbget_news_server_total_article_failed{id=\"1\",server=\"news-eu\"}", 7.0),
                entry("nzbget_news_server_total_article_failed{id=\"2\",server=\"block-account\"}", 0.0));
    }

    @Test
    void historyIsSummedAndCountedByCategoryAndStatus() {
        MetricsText m = ApiFixtures.scrape(NzbgetMetrics.of(ApiFixtures.answers()));

        assertThat(m.family("nzbget_history_category_count")).containsExactly(
                entry("nzbget_history_category_count{category=\"movies\"}", 1.0),
                entry("nzbget_history_category_count{category=\"tv\"}", 2.0));
        assertThat(m.value("nzbget_history_file_size_total_bytes")).isEqualTo(GIB4 + 1000 + 500);
        assertThat(m.value("nzbget_history_file_count")).isEqualTo(55.0);
        assertThat(m.value("nzbget_history_file_remaining_count")).isEqualTo(7.0);
        assertThat(m.value("nzbget_history_article_count")).isEqualTo(5320.0);
        assertThat(m.value("nzbget_history_article_success_count")).isEqualTo(5240.0);
        assertThat(m.value("nzbget_history_article_failed_count")).isEqualTo(60.0);
        assertThat(m.value("nzbget_history_download_time_seconds")).isEqualTo(660.0);
        assertThat(m.value("nzbget_history_download_size_bytes")).isEqualTo(GIB4 + 100 + 900);
        assertThat(m.value("nzbget_history_post_process_time_seconds")).isEqualTo(165.0);
        assertThat(m.value("nzbget_history_par_time_seconds")).isEqualTo(70.0);
        assertThat(m.value("nzbget_history_par_repair_time_seconds")).as("RepairTimeSec, not ParTimeSec").isEqualTo(20.0);
        assertThat(m.value("nzbget_history_unpack_time_seconds")).isEqualTo(60.0);
        assertThat(m.family("nzbget_history_status_count")).containsOnly(
                entry("nzbget_history_status_count{reason=\"all\",status=\"success\"}", 1.0),
                entry("nzbget_history_status_count{reason=\"par\",status=\"failure\"}", 1.0),
                entry("nzbget_history_status_count{reason=\"manual\",status=\"deleted\"}", 1.0));
        assertThat(m.family("nzbget_history_par_status_count")).containsOnly(
                entry("nzbget_history_par_status_count{status=\"success\"}", 1.0),
                entry("nzbget_history_par_status_count{status=\"failure\"}", 1.0),
                entry("nzbget_history_par_status_count{status=\"none\"}", 1.0));
        assertThat(m.family("nzbget_history_unpack_status_count")).containsOnly(
                entry("nzbget_history_unpack_status_count{status=\"success\"}", 1.0),
                entry("nzbget_history_unpack_status_count{status=\"none\"}", 2.0));
    }

    @Test
    void queueGroupsAreCountedByStatusWithEveryDocumentedStatusPresent() {
        MetricsText m = ApiFixtures.scrape(NzbgetMetrics.of(ApiFixtures.answers()));

        Map<String, Double> expected = new LinkedHashMap<>();
        NzbgetMetrics.GROUP_STATUSES.forEach(s -> expected.put("nzbget_queue_groups{status=\"" + s.toLowerCase() + "\"}", 0.0));
        expected.put("nzbget_queue_groups{status=\"downloading\"}", 1.0);
        expected.put("nzbget_queue_groups{status=\"queued\"}", 2.0);
        expected.put("nzbget_queue_groups{status=\"pp_queued\"}", 1.0);
        expected.put("nzbget_queue_groups{status=\"something_new\"}", 1.0);
        assertThat(m.family("nzbget_queue_groups")).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void anEmptyNzbgetHasNoLabelledHistorySeriesAndAnEmptyQueue() {
        ArrayNode none = ApiFixtures.JSON.createArrayNode();
        Answers a = ApiFixtures.answers();
        MetricsText m = ApiFixtures.scrape(NzbgetMetrics.of(new Answers(a.version(), a.config(), a.status(),
                a.serverVolumes(), none, none)));

        assertThat(m.family("nzbget_history_category_count")).isEmpty();
        assertThat(m.family("nzbget_history_status_count")).isEmpty();
        assertThat(m.value("nzbget_history_file_count")).isEqualTo(0.0);
        assertThat(m.family("nzbget_queue_groups").values()).hasSize(NzbgetMetrics.GROUP_STATUSES.size()).containsOnly(0.0);
    }

    /** nzbget 21 (Debian 12's): no per-day article counts, and an unknown free disk space as all bits set. */
    @Test
    void nzbget21sAnswersGiveFrebibsValuesToo() {
        Answers a = ApiFixtures.answers();
        ObjectNode status = ApiFixtures.status().put("FreeDiskSpaceLo", 4294967295L).put("FreeDiskSpaceHi", 4294967295L);
        ArrayNode volumes = a.serverVolumes().deepCopy();
        volumes.forEach(v -> ((ObjectNode) v).remove("ArticlesPerDays"));
        MetricsText m = ApiFixtures.scrape(NzbgetMetrics.of(new Answers(a.version(), a.config(), status, volumes,
                a.history(), a.groups())));

        assertThat(m.value("nzbget_disk_free_bytes")).as("as frebib joined the halves: signed").isEqualTo(-1.0);
        assertThat(m.family("nzbget_news_server_total_article_success")).isEmpty();
        assertThat(m.family("nzbget_news_server_total_bytes")).hasSize(2);
    }

    @Test
    void downIsOnlyNzbgetUpZero() {
        assertThat(ApiFixtures.scrape(NzbgetMetrics.down()).samples()).containsExactly(entry("nzbget_up", 0.0));
    }

    @Test
    void anAnswerOfAnotherShapeNamesTheMethodAndField() {
        Answers a = ApiFixtures.answers();
        ObjectNode status = ApiFixtures.status();
        status.remove("DownloadPaused");
        assertThatThrownBy(() -> NzbgetMetrics.of(new Answers(a.version(), a.config(), status, a.serverVolumes(),
                a.history(), a.groups()))).hasMessage("status: field DownloadPaused is missing");

        JsonNode text = ApiFixtures.JSON.getNodeFactory().textNode("oops");
        assertThatThrownBy(() -> NzbgetMetrics.of(new Answers(a.version(), a.config(), a.status(), a.serverVolumes(),
                text, a.groups()))).hasMessage("history: the result is not a list: \"oops\"");
        ObjectNode badDiskSpace = ApiFixtures.JSON.createObjectNode().put("Name", "DiskSpace").put("Value", "lots");
        assertThatThrownBy(() -> NzbgetMetrics.of(new Answers(a.version(),
                ApiFixtures.JSON.createArrayNode().add(badDiskSpace), a.status(), a.serverVolumes(), a.history(),
                a.groups()))).hasMessage("config: DiskSpace='lots' is not a number of megabytes");
    }
}
