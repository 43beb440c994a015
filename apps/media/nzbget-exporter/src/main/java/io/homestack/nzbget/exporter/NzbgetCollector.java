package io.homestack.nzbget.exporter;

import io.homestack.nzbget.exporter.NzbgetClient.NzbgetException;
import io.homestack.nzbget.exporter.NzbgetMetrics.Answers;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads nzbget on every scrape (six API calls in parallel, bounded by NZBGET_TIMEOUT), so the values are never older
 * than the scrape and nothing runs between scrapes. A scrape never fails: when nzbget cannot be read (down, wrong login,
 * an answer of another shape) the exporter serves {@code nzbget_up 0} and logs the reason - once per change of reason,
 * not every scrape - and says so when nzbget answers again.
 */
public final class NzbgetCollector implements MultiCollector {

    private static final Logger LOG = Logger.getLogger(NzbgetCollector.class.getName());

    private final NzbgetClient client;
    private final Settings settings;
    /** The reason of the last failed scrape; empty while nzbget answers. */
    private String lastProblem = "";

    public NzbgetCollector(NzbgetClient client, Settings settings) {
        this.client = client;
        this.settings = settings;
    }

    @Override
    public MetricSnapshots collect() {
        try {
            MetricSnapshots metrics = NzbgetMetrics.of(Answers.of(client.callAll(Answers.METHODS)));
            recovered();
            return metrics;
        } catch (NzbgetException e) {
            problem(e.getMessage());
        } catch (RuntimeException e) {
            // An answer of a shape we do not know (another nzbget version?): say which field, keep serving.
            problem("nzbget's answer is not what the exporter reads (" + e.getMessage() + ")");
            LOG.log(Level.FINE, "mapping failed", e);
        }
        return NzbgetMetrics.down();
    }

    private synchronized void problem(String reason) {
        if (!reason.equals(lastProblem)) {
            LOG.warning("nzbget_up 0: " + reason);
            lastProblem = reason;
        }
    }

    private synchronized void recovered() {
        if (!lastProblem.isEmpty()) {
            LOG.info("nzbget_up 1: nzbget answers again at " + settings.jsonRpc());
            lastProblem = "";
        }
    }

    /** Before the first scrape: logs whether nzbget answers, so a wrong login shows in the log at once. */
    public void probe() {
        try {
            String version = client.call("version").asText();
            LOG.info("nzbget " + version + " answers at " + settings.jsonRpc());
        } catch (NzbgetException e) {
            problem(e.getMessage());
        }
    }
}
