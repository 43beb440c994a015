package io.homestack.platform.argocd;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.test.BundleOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the Application health check of the rendered argocd-cm against Application objects in the states Argo CD 3.x
 * puts them in during a sync. Argo CD runs the script in gopher-lua (Lua 5.1) with the object as the global
 * {@code obj} and only the base, package and table libraries (util/lua/lua.go; no string library); here LuaJ runs it
 * the same way, with the same libraries. The E2E with the real application controller proves the waves.
 */
class ApplicationHealthCheckTest {

    private static final String KEY = "resource.customizations.health.argoproj.io_Application";
    private static final String DIGEST = "sha256:" + "1".repeat(64);
    private static final String OLDER = "sha256:" + "0".repeat(64);

    private final BundleOutput output = BundleOutput.ofModule();

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theCheckIsConfiguredInArgocdCm(String env) {
        KubeObject cm = output.object(env, "ConfigMap", "argocd-cm");
        assertThat(cm.labels()).as("Argo CD only reads settings labelled part-of argocd")
                .containsEntry("app.kubernetes.io/part-of", "argocd");
        assertThat(KubeObject.path(cm.body(), "data")).containsKey(KEY);
        assertThat(script(env)).isEqualTo(script("k3d"));
    }

    @Test
    void aNewApplicationWithoutStatusIsProgressing() {
        assertThat(health(app(null))).containsEntry("status", "Progressing");
    }

    /** Argo CD 3.x: Healthy while the resources are still missing (OutOfSync); the parent must keep waiting. */
    @Test
    void healthyButOutOfSyncIsProgressing() {
        Map<String, Object> app = app(status("OutOfSync", DIGEST, "Healthy", null));

        assertThat(health(app)).containsEntry("status", "Progressing");
    }

    @Test
    void healthyAndSyncedAfterASucceededSyncOfTheCurrentRevisionIsHealthy() {
        Map<String, Object> app = app(status("Synced", DIGEST, "Healthy", operation("Succeeded", DIGEST, true)));

        assertThat(health(app)).containsEntry("status", "Healthy");
    }

    @Test
    void aRunningSyncIsProgressingEvenWhenTheLastComparisonWasSyncedAndHealthy() {
        Map<String, Object> app = app(status("Synced", DIGEST, "Healthy", operation("Running", DIGEST, false)));

        assertThat(health(app)).containsEntry("status", "Progressing");
    }

    /** Right after the parent changed the child's spec, the child's status still describes the previous spec. */
    @Test
    void aStatusComparedToTheSpecBeforeAChangeIsProgressing() {
        Map<String, Object> app = app(status("Synced", OLDER, "Healthy", operation("Succeeded", OLDER, true)));
        Map<String, Object> compared = KubeObject.path(app, "status", "sync", "comparedTo", "source");
        compared.put("targetRevision", OLDER);

        assertThat(health(app)).containsEntry("status", "Progressing");
    }

    /** A new revision that renders the same objects is Synced at once and Argo CD starts no operation for it. */
    @Test
    void syncedAtANewRevisionWithTheLastSyncForAnOlderOneIsHealthy() {
        Map<String, Object> app = app(status("Synced", DIGEST, "Healthy", operation("Succeeded", OLDER, true)));

        assertThat(health(app)).containsEntry("status", "Healthy");
    }

    @Test
    void aFailedSyncOfTheWantedRevisionIsDegradedWithArgoCdsMessage() {
        Map<String, Object> op = operation("Failed", DIGEST, true);
        op.put("message", "one or more objects failed to apply");
        Map<String, Object> app = app(status("OutOfSync", DIGEST, "Healthy", op));

        assertThat(health(app)).containsEntry("status", "Degraded")
                .hasEntrySatisfying("message", m -> assertThat(m).contains("one or more objects failed to apply"));
    }

    @Test
    void aFailedSyncOfAnOlderRevisionOnlyWaits() {
        Map<String, Object> app = app(status("OutOfSync", DIGEST, "Healthy", operation("Failed", OLDER, true)));

        assertThat(health(app)).containsEntry("status", "Progressing");
    }

    @Test
    void syncedButNotYetHealthyKeepsTheApplicationsOwnHealth() {
        assertThat(health(app(status("Synced", DIGEST, "Progressing", operation("Succeeded", DIGEST, true)))))
                .containsEntry("status", "Progressing");
        assertThat(health(app(status("Synced", DIGEST, "Degraded", operation("Succeeded", DIGEST, true)))))
                .containsEntry("status", "Degraded");
        assertThat(health(app(status("Synced", DIGEST, "Missing", null)))).containsEntry("status", "Missing");
    }

    @Test
    void aComparisonErrorIsNamedInTheMessage() {
        Map<String, Object> status = status("Unknown", DIGEST, "Healthy", null);
        status.put("conditions", List.of(Map.of("type", "ComparisonError",
                "message", "failed to resolve revision: manifest unknown")));

        assertThat(health(app(status))).containsEntry("status", "Progressing")
                .hasEntrySatisfying("message", m -> assertThat(m).contains("ComparisonError: failed to resolve revision"));
    }

    /** Argo CD writes comparedTo from Go structs (omitempty); a spec that spells out defaults is still the same spec. */
    @Test
    void defaultsSpelledOutInTheSpecButOmittedInComparedToStillMatch() {
        Map<String, Object> app = app(status("Synced", DIGEST, "Healthy", operation("Succeeded", DIGEST, true)));
        KubeObject.path(app, "spec", "source").put("directory", Yaml.readMap("recurse: false\njsonnet: {}", "test"));
        KubeObject.path(app, "spec", "source").put("helm", Yaml.readMap("valuesObject: {}", "test"));

        assertThat(health(app)).containsEntry("status", "Healthy");
    }

    // --- helpers ---

    private String script(String env) {
        return KubeObject.string(KubeObject.path(output.object(env, "ConfigMap", "argocd-cm").body(), "data").get(KEY));
    }

    /** Runs the script as Argo CD does: the object as global {@code obj}, the returned table is the health. */
    private Map<String, String> health(Map<String, Object> application) {
        Globals globals = new Globals();
        globals.load(new JseBaseLib());
        globals.load(new PackageLib());
        globals.load(new TableLib());
        LoadState.install(globals);
        LuaC.install(globals);
        globals.set("obj", lua(application));
        LuaValue result = globals.load(script("k3d"), KEY).call();
        assertThat(result.istable()).as("the script returns a table").isTrue();
        return Map.of("status", result.get("status").tojstring(), "message", result.get("message").tojstring());
    }

    private static LuaValue lua(Object value) {
        if (value instanceof Map<?, ?> map) {
            LuaTable table = new LuaTable();
            map.forEach((k, v) -> table.set(k.toString(), lua(v)));
            return table;
        }
        if (value instanceof List<?> list) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < list.size(); i++) {
                table.set(i + 1, lua(list.get(i)));
            }
            return table;
        }
        if (value instanceof Boolean b) {
            return LuaValue.valueOf(b);
        }
        if (value instanceof Number n) {
            return LuaValue.valueOf(n.doubleValue());
        }
        return value == null ? LuaValue.NIL : LuaValue.valueOf(value.toString());
    }

    /** A bundle Application as the release renders it, with the given status. */
    private static Map<String, Object> app(Map<String, Object> status) {
        Map<String, Object> app = Yaml.readMap("""
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata:
                  name: storage
                  namespace: argocd
                spec:
                  project: platform
                  source:
                    repoURL: oci://k3d-registry.localhost:5000/homestack/storage
                    targetRevision: %s
                    path: k3d
                  destination:
                    server: https://kubernetes.default.svc
                    namespace: argocd
                """.formatted(DIGEST), "test");
        if (status != null) {
            app.put("status", status);
        }
        return app;
    }

    private static Map<String, Object> status(String sync, String revision, String health, Map<String, Object> operation) {
        Map<String, Object> status = Yaml.readMap("""
                sync:
                  status: %s
                  revision: "%s"
                  comparedTo:
                    source:
                      repoURL: oci://k3d-registry.localhost:5000/homestack/storage
                      targetRevision: %s
                      path: k3d
                    destination:
                      server: https://kubernetes.default.svc
                      namespace: argocd
                health:
                  status: %s
                """.formatted(sync, revision, DIGEST, health), "test");
        if (operation != null) {
            status.put("operationState", operation);
        }
        return status;
    }

    private static Map<String, Object> operation(String phase, String revision, boolean finished) {
        Map<String, Object> op = Yaml.readMap("""
                phase: %s
                message: "%s"
                startedAt: "2026-11-30T10:00:00Z"
                syncResult:
                  revision: "%s"
                """.formatted(phase, phase.equals("Running") ? "waiting for healthy state" : "done", revision), "test");
        if (finished) {
            op.put("finishedAt", "2026-11-30T10:00:30Z");
        }
        return op;
    }
}
