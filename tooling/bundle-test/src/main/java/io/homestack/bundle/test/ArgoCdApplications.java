package io.homestack.bundle.test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.homestack.bundle.test.internal.Await;
import io.homestack.bundle.test.internal.Transient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Watches Argo CD's Applications (namespace argocd) on a cluster with {@link Capability#ARGOCD}: waits until the
 * expected ones are Synced and Healthy with no sync running, recording for each when its first sync started and
 * finished (status.operationState) and when it was first seen Synced and Healthy. A timeout fails naming every
 * Application that is not there yet, with its sync and health status and Argo CD's messages verbatim (conditions,
 * the operation's message).
 */
public final class ArgoCdApplications {

    public static final String NAMESPACE = "argocd";
    static final String WAVE = "argocd.argoproj.io/sync-wave";
    static final String REFRESH = "argocd.argoproj.io/refresh";

    private final TestCluster cluster;
    private final Instant since = Instant.now();
    private final Map<String, Entry> entries = new TreeMap<>();

    /** One Application's timeline; times are Argo CD's (operationState, second precision) or seen by the poll. */
    public record Entry(String name, int wave, Instant syncStarted, Instant syncFinished, Instant healthySeen) {
    }

    /** What one Application reports now, for messages. */
    public record State(String name, int wave, String sync, String health, String phase, Instant started,
                        Instant finished, String operationMessage, List<String> conditions) {

        public boolean ready() {
            return "Synced".equals(sync) && "Healthy".equals(health) && !"Running".equals(phase);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(name + " (wave " + wave + "): sync " + sync + ", health " + health);
            if (phase != null) {
                s.append(", last operation ").append(phase).append(operationMessage == null ? "" : ": " + operationMessage);
            }
            conditions.forEach(c -> s.append("\n      condition ").append(c));
            return s.toString();
        }
    }

    private ArgoCdApplications(TestCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts recording now (call it before applying the root Application). */
    public static ArgoCdApplications on(TestCluster cluster) {
        cluster.require(Capability.ARGOCD);
        return new ArgoCdApplications(cluster);
    }

    public Instant since() {
        return since;
    }

    /** Every Application seen by a poll since {@link #on}, even if it is gone since. */
    public Set<String> seen() {
        return Set.copyOf(entries.keySet());
    }

    /** Every Application in namespace argocd as Argo CD reports it now, by name. */
    public Map<String, State> states() {
        Map<String, State> states = new TreeMap<>();
        List<GenericKubernetesResource> apps = Transient.retry("listing Applications", Duration.ofSeconds(30),
                () -> cluster.client().genericKubernetesResources("argoproj.io/v1alpha1", "Application")
                        .inNamespace(NAMESPACE).list().getItems());
        for (GenericKubernetesResource app : apps) {
            State state = state(app);
            states.put(state.name(), state);
        }
        return states;
    }

    /**
     * Waits until every expected Application (but the excluded) exists and is Synced and Healthy with no sync running.
     *
     * @return the timeline of those Applications, by name
     */
    public Map<String, Entry> awaitSyncedAndHealthy(Collection<String> expected, Set<String> excluded, Duration timeout) {
        List<String> wanted = expected.stream().filter(n -> !excluded.contains(n)).distinct().sorted().toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, State> states = poll();
            List<String> pending = wanted.stream().filter(n -> !entries.containsKey(n) || entries.get(n).healthySeen() == null
                    || states.get(n) == null || !states.get(n).ready()).toList();
            if (pending.isEmpty()) {
                Map<String, Entry> result = new LinkedHashMap<>();
                wanted.forEach(n -> result.put(n, entries.get(n)));
                return result;
            }
            if (System.nanoTime() > deadline) {
                Map<String, State> last = states;
                throw new AssertionError("Argo CD: " + pending.size() + " of " + wanted.size() + " Applications not Synced"
                        + " and Healthy after " + timeout.toSeconds() + " s" + (excluded.isEmpty() ? ""
                        : " (excluded: " + String.join(", ", new java.util.TreeSet<>(excluded)) + ")") + ":\n"
                        + pending.stream().map(n -> last.containsKey(n) ? "  " + last.get(n) : "  " + n + ": not created")
                        .collect(Collectors.joining("\n"))
                        + cluster.logDir().map(d -> "\n  Argo CD's logs: " + d).orElse(""));
            }
            Await.sleep(500);
        }
    }

    /** Every Application's state now, recorded into the timeline (a failed list counts as none seen this time). */
    public Map<String, State> poll() {
        Map<String, State> states = current();
        record(states);
        return states;
    }

    /** The timeline of every Application seen so far, by name. */
    public Map<String, Entry> recorded() {
        return new TreeMap<>(entries);
    }

    private Map<String, State> current() {
        try {
            return states();
        } catch (KubernetesClientException e) {
            return Map.of();
        }
    }

    /**
     * Keeps each Application's first sync start, the end of the first sync seen finished with the Application Synced
     * (a first sync may fail and be retried; the app-of-apps health check waits for exactly this) and when it was
     * first seen ready.
     */
    private void record(Map<String, State> states) {
        Instant now = Instant.now();
        for (State s : states.values()) {
            Entry old = entries.get(s.name());
            Instant started = old != null && old.syncStarted() != null ? old.syncStarted() : s.started();
            Instant finished = old != null && old.syncFinished() != null ? old.syncFinished()
                    : "Synced".equals(s.sync()) && !"Running".equals(s.phase()) ? s.finished() : null;
            Instant healthy = old != null && old.healthySeen() != null ? old.healthySeen() : s.ready() ? now : null;
            entries.put(s.name(), new Entry(s.name(), s.wave(), started, finished, healthy));
        }
    }

    /**
     * "Synced and Healthy (4), 24.8 s after the root Application was applied:" and the {@link #timeline} of these
     * Applications (each seen healthy).
     */
    public String summary(Map<String, Entry> healthy) {
        Duration syncTime = Duration.between(since, healthy.values().stream().map(Entry::healthySeen)
                .max(java.util.Comparator.naturalOrder()).orElse(since));
        return "Synced and Healthy (" + healthy.size() + "), " + syncTime.toMillis() / 1000.0
                + " s after the root Application was applied:\n" + timeline(healthy);
    }

    /** "Application  wave  sync started  sync finished  healthy", seconds since {@link #since()}. */
    public String timeline(Map<String, Entry> timeline) {
        StringBuilder s = new StringBuilder(String.format("%-28s %4s %13s %13s %13s%n", "Application", "wave",
                "sync started", "synced at", "healthy at"));
        timeline.values().stream().sorted(java.util.Comparator.comparingInt(Entry::wave)
                        .thenComparing(e -> e.syncStarted() == null ? Instant.MAX : e.syncStarted()).thenComparing(Entry::name))
                .forEach(e -> s.append(String.format("%-28s %4d %13s %13s %13s%n", e.name(), e.wave(), secs(e.syncStarted()),
                        secs(e.syncFinished()), secs(e.healthySeen()))));
        return s.toString();
    }

    private String secs(Instant t) {
        return t == null ? "-" : String.format("%+.1f s", Duration.between(since, t).toMillis() / 1000.0);
    }

    /** A resource an Application manages, with the health Argo CD gives it (status.resources). */
    public record Resource(String kind, String namespace, String name, String health, String message) {
    }

    /** The resources of an Application that Argo CD reports with a health other than Healthy (none: every one is). */
    public List<Resource> unhealthyResources(String application) {
        return resources(application).stream()
                .filter(r -> r.health() != null && !"Healthy".equals(r.health())).toList();
    }

    /** Every resource Argo CD lists as the Application's (status.resources); health null where it gives none. */
    public List<Resource> resources(String application) {
        GenericKubernetesResource app = cluster.client().genericKubernetesResources("argoproj.io/v1alpha1", "Application")
                .inNamespace(NAMESPACE).withName(application).get();
        Object status = app == null ? null : app.getAdditionalProperties().get("status");
        List<Resource> all = new ArrayList<>();
        if (status instanceof Map<?, ?> m && m.get("resources") instanceof List<?> resources) {
            for (Object r : resources) {
                Map<String, Object> res = map(r);
                Map<String, Object> health = map(res.get("health"));
                all.add(new Resource(str(res.get("kind")), (String) res.get("namespace"), str(res.get("name")),
                        health.isEmpty() ? null : str(health.get("status")), (String) health.get("message")));
            }
        }
        return all;
    }

    /**
     * Asks Argo CD for a hard refresh of the Application (annotation argocd.argoproj.io/refresh: hard) and waits until
     * it has compared again (Argo CD removes the annotation when it has).
     */
    public void refresh(String application, Duration timeout) {
        var apps = cluster.client().genericKubernetesResources("argoproj.io/v1alpha1", "Application").inNamespace(NAMESPACE);
        apps.withName(application).edit(a -> {
            Map<String, String> annotations = new LinkedHashMap<>(a.getMetadata().getAnnotations() == null
                    ? Map.of() : a.getMetadata().getAnnotations());
            annotations.put(REFRESH, "hard");
            a.getMetadata().setAnnotations(annotations);
            return a;
        });
        Await.until(timeout, "Argo CD refreshed Application " + application, () -> {
            GenericKubernetesResource a = apps.withName(application).get();
            return a != null && (a.getMetadata().getAnnotations() == null
                    || !a.getMetadata().getAnnotations().containsKey(REFRESH));
        }, () -> String.valueOf(states().get(application)));
    }

    @SuppressWarnings("unchecked")
    static State state(GenericKubernetesResource app) {
        Map<String, Object> status = app.getAdditionalProperties().get("status") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : Map.of();
        Map<String, Object> sync = map(status.get("sync"));
        Map<String, Object> health = map(status.get("health"));
        Map<String, Object> op = map(status.get("operationState"));
        List<String> conditions = new ArrayList<>();
        if (status.get("conditions") instanceof List<?> list) {
            for (Object c : list) {
                Map<String, Object> cond = map(c);
                conditions.add(cond.get("type") + ": " + cond.get("message"));
            }
        }
        Map<String, String> annotations = app.getMetadata().getAnnotations() == null ? Map.of()
                : app.getMetadata().getAnnotations();
        int wave = Integer.parseInt(annotations.getOrDefault(WAVE, "0").trim());
        return new State(app.getMetadata().getName(), wave, str(sync.get("status")), str(health.get("status")),
                (String) op.get("phase"), instant(op.get("startedAt")), instant(op.get("finishedAt")),
                (String) op.get("message"), conditions);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String str(Object o) {
        return o == null ? "(none)" : o.toString();
    }

    private static Instant instant(Object o) {
        return o == null ? null : Instant.parse(o.toString());
    }
}
