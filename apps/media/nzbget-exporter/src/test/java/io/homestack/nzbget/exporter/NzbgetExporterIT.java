package io.homestack.nzbget.exporter;

import io.homestack.bundle.net.FreePorts;
import io.homestack.bundle.test.engine.Nzbget;
import io.homestack.bundle.test.prometheus.MetricsText;
import io.homestack.testsupport.SkipsCounted;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The exporter against Debian's nzbget (the kit's engine.Nzbget): each test starts its own nzbget, with no news server
 * unless it says otherwise, so nothing downloads and what is appended stays queued; values are asserted exactly.
 */
@ExtendWith(SkipsCounted.class)
class NzbgetExporterIT {

    private static final String USER = "nzbget";
    private static final String PASSWORD = "exporter-it-pw";
    private static final Logger COLLECTOR_LOG = Logger.getLogger(NzbgetCollector.class.getName());

    private static Nzbget nzbget;

    @TempDir
    Path dir;

    private Nzbget.Server server;
    private Exporter exporter;
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void engine() {
        nzbget = Nzbget.locate();
    }

    @BeforeEach
    void captureLog() {
        COLLECTOR_LOG.addHandler(capture);
    }

    @AfterEach
    void stop() {
        COLLECTOR_LOG.removeHandler(capture);
        if (exporter != null) {
            exporter.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anIdleNzbgetIsUpWithAnEmptyQueueAndItsPauseFlagFollowsTheApi() throws Exception {
        server = nzbget.start(USER, PASSWORD, dir);
        exporter = exporter(PASSWORD);

        MetricsText m = scrape();
        assertThat(m.value("nzbget_up")).isEqualTo(1.0);
        assertThat(m.value("nzbget_version{version=\"" + server.call("version").asText() + "\"}")).isEqualTo(1.0);
        assertThat(m.value("nzbget_download_paused")).isEqualTo(0.0);
        assertThat(m.value("nzbget_queue_remaining_bytes")).isEqualTo(0.0);
        assertThat(m.family("nzbget_queue_groups").values()).hasSize(NzbgetMetrics.GROUP_STATUSES.size()).containsOnly(0.0);
        assertThat(m.value("nzbget_history_file_count")).isEqualTo(0.0);
        assertThat(m.family("nzbget_history_status_count")).isEmpty();
        assertThat(m.family("nzbget_news_server_active")).as("no news server configured").isEmpty();
        assertThat(m.value("nzbget_disk_min_bytes")).as("nzbget's default DiskSpace, 250 MB").isEqualTo(250 * 1048576.0);
        assertThat(m.value("nzbget_post_active")).isEqualTo(1.0);
        assertThat(m.value("nzbget_scan_active")).isEqualTo(1.0);

        assertThat(server.call("pausedownload").asBoolean()).isTrue();
        assertThat(scrape().value("nzbget_download_paused")).isEqualTo(1.0);
        assertThat(server.call("resumedownload").asBoolean()).isTrue();
        assertThat(scrape().value("nzbget_download_paused")).isEqualTo(0.0);
        assertThat(server.call("pausepost").asBoolean()).isTrue();
        assertThat(scrape().value("nzbget_post_active")).isEqualTo(0.0);
        assertThat(logged).as("nothing to report").isEmpty();
    }

    @Test
    void appendedNzbsAreCountedByStatusAndADeletedOneLandsInTheHistory() throws Exception {
        server = nzbget.start(USER, PASSWORD, dir);
        exporter = exporter(PASSWORD);
        int show = server.append("show.nzb", nzb("show.bin", 102400), "tv", false);
        server.append("film.nzb", nzb("film.bin", 51200), "movies", true);

        MetricsText queued = scrape();
        assertThat(queued.value("nzbget_queue_groups{status=\"queued\"}")).as("no news server: it waits").isEqualTo(1.0);
        assertThat(queued.value("nzbget_queue_groups{status=\"paused\"}")).isEqualTo(1.0);
        assertThat(queued.value("nzbget_queue_groups{status=\"downloading\"}")).isEqualTo(0.0);
        assertThat(queued.value("nzbget_queue_remaining_bytes")).as("the paused one is not remaining").isEqualTo(102400.0);
        assertThat(queued.value("nzbget_history_file_count")).isEqualTo(0.0);

        assertThat(server.call("editqueue", "GroupDelete", "", List.of(show)).asBoolean()).isTrue();
        MetricsText history = scrape();
        assertThat(history.value("nzbget_queue_groups{status=\"queued\"}")).isEqualTo(0.0);
        assertThat(history.value("nzbget_queue_groups{status=\"paused\"}")).isEqualTo(1.0);
        assertThat(history.value("nzbget_queue_remaining_bytes")).isEqualTo(0.0);
        assertThat(history.family("nzbget_history_status_count"))
                .containsExactly(entry("nzbget_history_status_count{reason=\"manual\",status=\"deleted\"}", 1.0));
        assertThat(history.family("nzbget_history_category_count"))
                .containsExactly(entry("nzbget_history_category_count{category=\"tv\"}", 1.0));
        assertThat(history.family("nzbget_history_par_status_count"))
                .containsExactly(entry("nzbget_history_par_status_count{status=\"none\"}", 1.0));
        assertThat(history.value("nzbget_history_file_count")).isEqualTo(1.0);
        assertThat(history.value("nzbget_history_article_count")).isEqualTo(1.0);
        assertThat(history.value("nzbget_history_file_size_total_bytes")).isEqualTo(102400.0);
        assertThat(history.value("nzbget_history_download_size_bytes")).isEqualTo(0.0);
    }

    @Test
    void aNewsServerIsExportedUnderItsConfiguredName() throws Exception {
        int closed = FreePorts.next();
        server = nzbget.start(USER, PASSWORD, Map.of("Server1.Name", "usenet-test", "Server1.Host", "127.0.0.1",
                "Server1.Port", String.valueOf(closed), "Server1.Connections", "1", "Server1.Active", "yes"), dir);
        exporter = exporter(PASSWORD);

        MetricsText m = scrape();
        assertThat(m.family("nzbget_news_server_active"))
                .containsExactly(entry("nzbget_news_server_active{id=\"1\",server=\"usenet-test\"}", 1.0));
        assertThat(m.family("nzbget_news_server_total_bytes"))
                .containsExactly(entry("nzbget_news_server_total_bytes{id=\"1\",server=\"usenet-test\"}", 0.0));
    }

    @Test
    void aWrongPasswordIsNzbgetUpZeroAndTheExporterKeepsServing() throws Exception {
        server = nzbget.start(USER, PASSWORD, dir);
        exporter = exporter("not-the-password");

        for (int scrape = 0; scrape < 3; scrape++) {
            assertThat(scrape().samples()).as("scrape %s", scrape).containsExactly(entry("nzbget_up", 0.0));
        }
        assertThat(logged).as("logged once, not every scrape").singleElement().satisfies(r -> {
            assertThat(r.getLevel()).isEqualTo(Level.WARNING);
            assertThat(r.getMessage()).isEqualTo("nzbget_up 0: nzbget refused the login of user 'nzbget' (HTTP 401):"
                    + " NZBGET_USER/NZBGET_PASS are not nzbget's ControlUsername/ControlPassword");
        });
    }

    @Test
    void aStoppedNzbgetIsNzbgetUpZeroUntilItIsBackWithItsQueue() throws Exception {
        server = nzbget.start(USER, PASSWORD, dir);
        exporter = exporter(PASSWORD);
        server.append("show.nzb", nzb("show.bin", 4096), "tv", false);
        assertThat(scrape().value("nzbget_up")).isEqualTo(1.0);

        server.stop();
        assertThat(scrape().samples()).containsExactly(entry("nzbget_up", 0.0));
        assertThat(scrape().samples()).containsExactly(entry("nzbget_up", 0.0));

        server.start();
        MetricsText back = scrape();
        assertThat(back.value("nzbget_up")).isEqualTo(1.0);
        assertThat(back.value("nzbget_queue_groups{status=\"queued\"}")).as("nzbget kept its queue").isEqualTo(1.0);
        assertThat(logged).extracting(LogRecord::getMessage).containsExactly(
                "nzbget_up 0: cannot connect to " + server.uri() + "/jsonrpc (connection refused)",
                "nzbget_up 1: nzbget answers again at " + server.uri() + "/jsonrpc");
    }

    private Exporter exporter(String password) throws Exception {
        Settings settings = Settings.from(Map.of("NZBGET_URL", server.uri().toString(), "NZBGET_USER", USER,
                "NZBGET_PASS", password, "METRICS_PORT", "0"));
        // A registry of its own: only what the collector exports, nothing of the JVM.
        return Exporter.start(settings, new PrometheusRegistry());
    }

    private MetricsText scrape() throws Exception {
        return MetricsText.scrape(URI.create("http://127.0.0.1:" + exporter.port() + "/metrics"));
    }

    /** An NZB with one file of one segment of {@code bytes} (no server will ever be asked for it). */
    static String nzb(String file, int bytes) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE nzb PUBLIC "-//newzBin//DTD NZB 1.1//EN" "http://www.newzbin.com/DTD/nzb/nzb-1.1.dtd">
                <nzb xmlns="http://www.newzbin.com/DTD/2003/nzb">
                  <file poster="tests@homestack.invalid" date="1767225600" subject="homestack &quot;%1$s&quot; yEnc (1/1)">
                    <groups><group>alt.binaries.test</group></groups>
                    <segments><segment bytes="%2$d" number="1">%1$s.1@homestack.invalid</segment></segments>
                  </file>
                </nzb>
                """.formatted(file, bytes);
    }
}
