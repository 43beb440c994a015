package io.homestack.it;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.mirror.MirrorReport;
import io.homestack.bundle.test.ArgoCdApplications;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.release.ReleaseHarness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks of a release synced by the real Argo CD onto envtest, for any environment's release (k3d: ReleaseSyncIT,
 * k3s: K3sReleaseSyncIT): what must sync and why the rest cannot ({@link ReleasePlan}), in wave order, with every pod
 * on a node of the simulated topology; and the live objects hold the bundles' renders.
 */
final class ReleaseSyncChecks {

    private ReleaseSyncChecks() {
    }

    /**
     * Applies the root Application pinned to the relocated release and waits until everything the plan says can sync
     * has synced and is Healthy; then checks the wave order by Argo CD's own times, the Certificates, and every pod.
     */
    static void syncWaveByWave(TestCluster cluster, ReleaseHarness harness, MirrorReport mirror) {
        ArgoCdApplications apps = ArgoCdApplications.on(cluster);
        ReleasePlan plan = ReleasePlan.of(mirror, harness.release());
        String root = plan.root();
        plan.print();
        harness.applyRoot(cluster, root, mirror.release().digest());

        Map<String, ArgoCdApplications.Entry> timeline = apps.awaitSyncedAndHealthy(plan.syncable(), Set.of(),
                Duration.ofMinutes(5));
        System.out.println("[e2e] " + apps.summary(timeline));

        // Waves in dependency order, by Argo CD's own times: no bundle Application's sync starts before every bundle
        // Application of an earlier wave has finished its sync (the app-of-apps health check requires the sync).
        List<String> order = plan.waveOrder(timeline);
        System.out.println("[e2e] waves in dependency order (" + order.size() + " pairs checked)"
                + (order.isEmpty() ? ": only one wave syncs here, so no order between waves is observed" : ""));
        Map<String, ArgoCdApplications.State> states = apps.states();
        assertThat(apps.seen()).as("Applications the mirror omitted: never created")
                .isNotEmpty().doesNotContainAnyElementsOf(plan.omitted().keySet());
        if (plan.blocked().containsKey(root)) {
            // A blocked wave holds the root's sync: its later waves are never created.
            assertThat(states.get(root).operationMessage()).as("the root's sync")
                    .startsWith("waiting for healthy state of argoproj.io/Application/");
            assertThat(apps.seen()).as("Applications of the waves after a blocked one: never created")
                    .doesNotContainAnyElementsOf(plan.laterWaves().keySet());
            System.out.println("[e2e] the root waits: " + states.get(root).operationMessage()
                    + "\n[e2e] not Synced here (Argo CD's words):\n" + plan.blocked().keySet().stream()
                    .map(n -> "  " + (states.containsKey(n) ? states.get(n) : n + ": not created"))
                    .collect(Collectors.joining("\n")));
        }
        // cert-manager's Certificates (SIMULATED issuing) are what Argo CD's health checks read: Ready with a TLS Secret.
        for (var certificate : cluster.client().genericKubernetesResources("cert-manager.io/v1", "Certificate")
                .inAnyNamespace().list().getItems()) {
            String ns = certificate.getMetadata().getNamespace();
            assertThatCluster(cluster).hasCertificateReady(ns, certificate.getMetadata().getName());
            String secretName = KubeObject.string(KubeObject.map(certificate.getAdditionalProperties().get("spec")).get("secretName"));
            assertThat(cluster.client().secrets().inNamespace(ns).withName(secretName).get().getType())
                    .as("Secret " + ns + "/" + secretName).isEqualTo("kubernetes.io/tls");
            System.out.println("[e2e] Certificate " + ns + "/" + certificate.getMetadata().getName()
                    + " Ready with Secret " + secretName + " (SIMULATED cert-manager)");
        }

        // Fidelity: every pod the synced charts made runs on a simulated node of the topology, with what it references present.
        // Pods of Jobs (Argo CD hooks, e.g. object-store's PostSync provisioning) have finished instead: the sync waits
        // for its hooks, and kwok completes a Job's pods (its pod-complete stage).
        List<String> nodes = cluster.topology().orElseThrow().nodes().stream().map(n -> n.name()).toList();
        var pods = cluster.client().pods().inAnyNamespace().list().getItems();
        assertThat(pods).as("pods of the synced Applications").isNotEmpty();
        int jobPods = 0;
        for (var pod : pods) {
            String ns = pod.getMetadata().getNamespace();
            String name = pod.getMetadata().getName();
            assertThat(nodes).as("node of pod " + name).contains(pod.getSpec().getNodeName());
            if (pod.getMetadata().getOwnerReferences().stream().anyMatch(o -> "Job".equals(o.getKind()))) {
                assertThat(pod.getStatus().getPhase()).as("phase of Job pod " + ns + "/" + name).isEqualTo("Succeeded");
                assertThatCluster(cluster).hasPodReferencesPresent(ns, name);
                jobPods++;
            } else {
                assertThatCluster(cluster).hasPodRunningOn(ns, name, pod.getSpec().getNodeName());
            }
        }
        System.out.println("[e2e] " + (pods.size() - jobPods) + " pods Running and " + jobPods + " Job pods Succeeded"
                + " on the " + plan.environment() + " nodes with their Secrets, ConfigMaps and PVCs present; SealedSecrets in the synced bundles: "
                + cluster.client()
                .genericKubernetesResources("bitnami.com/v1alpha1", "SealedSecret").inAnyNamespace().list().getItems().size());
        for (var sealed : cluster.client().genericKubernetesResources("bitnami.com/v1alpha1", "SealedSecret").inAnyNamespace()
                .list().getItems()) {
            assertThatCluster(cluster).hasSecretUnsealed(sealed.getMetadata().getNamespace(), sealed.getMetadata().getName());
        }
    }

    /**
     * What Argo CD applied is what the bundles render: every object of every synced bundle's render for the release's
     * environment is in the API server with each rendered field's value (server-side, after defaulting;
     * {@code holdsRendered}). The chart and Git-source Applications the mirror relocated differ only in their source's
     * repoURL and targetRevision.
     */
    static void liveObjectsHoldRenders(TestCluster cluster, ReleaseHarness harness, MirrorReport mirror) {
        ReleasePlan plan = ReleasePlan.of(mirror, harness.release());
        int count = 0;
        for (String bundle : harness.release().waves().keySet()) {
            if (!plan.syncable().contains(bundle)) {
                continue;
            }
            List<KubeObject> objects = new ArrayList<>();
            for (KubeObject o : ReleasePlan.render(harness.release().repo(), bundle).objects(plan.environment())) {
                if ("Application".equals(o.kind()) && plan.omitted().containsKey(o.name())) {
                    continue;
                }
                // a chart or Git source: the mirror relocated it (the rest of the Application is unchanged)
                if ("Application".equals(o.kind()) && !KubeObject.string(KubeObject.path(o.body(), "spec", "source")
                        .get("repoURL")).startsWith("oci://")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> body = (Map<String, Object>) KubeObject.deepCopy(o.body());
                    KubeObject.path(body, "spec", "source").remove("repoURL");
                    KubeObject.path(body, "spec", "source").remove("targetRevision");
                    o = new KubeObject(body, o.source());
                }
                objects.add(o);
            }
            assertThatCluster(cluster).holdsRendered(objects);
            count += objects.size();
        }
        System.out.println("[e2e] " + count + " objects of the synced bundles hold their rendered fields in the API server");
    }
}
