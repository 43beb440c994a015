package io.homestack.observability.tracing;

import io.homestack.bundle.test.ObjectStoreRender;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.seal.SecretManifest;
import io.homestack.bundle.seal.Unsealer;
import io.homestack.bundle.test.BundleOutput;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tempo's storage against backup/object-store as that bundle renders it (nothing of the S3 interface is written twice
 * here): on k3d the bucket the Job gives the tempo user, the Job's endpoint and the gateway's region, with the keys of
 * this bundle's SealedSecret, which holds exactly the object store's tempo user; on k3s the local filesystem on its
 * volume, and no Secret.
 */
class TempoObjectStoreTest {

    private static final String TEMPO = TracingBundleTest.TEMPO;
    private static final String USER = "tempo";
    /** A value that Tempo's -config.expand-env replaces with the environment variable of that name. */
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private static final BundleOutput OUTPUT = BundleOutput.ofModule();
    private static ObjectStoreRender store;

    @BeforeAll
    static void renderTheObjectStore(@TempDir Path work) {
        store = ObjectStoreRender.k3d(ObjectStoreRender.repository(), work);
    }

    @Test
    void k3dKeepsBlocksInTheTempoUsersBucketAtTheObjectStoresEndpoint() {
        Map<String, Object> trace = KubeObject.path(values("k3d"), "tempo", "storage", "trace");
        Map<String, Object> s3 = KubeObject.path(trace, "s3");
        URI endpoint = store.endpoint();

        assertThat(trace).containsEntry("backend", "s3");
        assertThat(KubeObject.path(trace, "wal")).as("the WAL stays on the pod").containsEntry("path", "/var/tempo/wal");
        assertThat(s3).containsEntry("bucket", store.bucketOf(USER));
        assertThat(s3.get("endpoint")).as("the object store's Service and port, host:port (%s)", endpoint)
                .isEqualTo(endpoint.getHost() + ":" + endpoint.getPort());
        assertThat(s3.get("insecure")).as("plain HTTP exactly when the endpoint is http (%s)", endpoint)
                .isEqualTo("http".equals(endpoint.getScheme()));
        assertThat(s3).containsEntry("region", store.region()).containsEntry("forcepathstyle", true);
    }

    /**
     * The keys are environment variables, expanded because Tempo runs with -config.expand-env=true, filled from the
     * Secret the container's envFrom names; that Secret is this bundle's SealedSecret, in Tempo's namespace, with
     * exactly the keys the storage config names.
     */
    @Test
    void k3dsKeysComeFromTheSealedSecretTempoReads() {
        Map<String, Object> tempo = KubeObject.path(values("k3d"), "tempo");
        Map<String, Object> s3 = KubeObject.path(tempo, "storage", "trace", "s3");
        String accessKey = envReference(s3.get("access_key"), "tempo.storage.trace.s3.access_key");
        String secretKey = envReference(s3.get("secret_key"), "tempo.storage.trace.s3.secret_key");

        assertThat(KubeObject.path(tempo, "extraArgs")).as("the chart writes -config.expand-env=true")
                .containsEntry("config.expand-env", "true");
        List<Object> envFrom = KubeObject.list(tempo.get("extraEnvFrom"));
        assertThat(envFrom).hasSize(1);
        String secret = KubeObject.string(KubeObject.path(KubeObject.map(envFrom.get(0)), "secretRef").get("name"));
        KubeObject sealed = OUTPUT.object("k3d", "SealedSecret", secret);
        assertThat(sealed.namespace()).isEqualTo(destination("k3d"));
        assertThat(KubeObject.path(sealed.body(), "spec", "encryptedData").keySet())
                .containsExactlyInAnyOrder(accessKey, secretKey);
    }

    /** Opened with the committed k3d key: the tempo user's access key id and secret of object-store-users, no other. */
    @Test
    void theSealedCredentialsAreExactlyTheObjectStoresTempoUser() {
        Unsealer key = ObjectStoreRender.k3dKey();
        SecretManifest users = store.unseal(key, "object-store-users");
        SecretManifest own = key.unseal(OUTPUT.object("k3d", "SealedSecret", "tempo-s3-credentials").body(),
                "tempo-s3-credentials");

        assertThat(own.data()).containsOnlyKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
        assertThat(own.stringValue("AWS_ACCESS_KEY_ID")).isEqualTo(users.stringValue(USER + "-access-key-id"));
        assertThat(own.stringValue("AWS_SECRET_ACCESS_KEY")).isEqualTo(users.stringValue(USER + "-secret-access-key"));
        assertThat(store.bucketOwners()).as("the user whose keys these are owns the bucket Tempo writes to")
                .containsEntry(KubeObject.string(KubeObject.path(values("k3d"), "tempo", "storage", "trace", "s3")
                        .get("bucket")), own.stringValue("AWS_ACCESS_KEY_ID"));
    }

    /** k3s has no object store yet (backup/object-store ships on k3d only): local blocks on a volume, no own objects. */
    @Test
    void k3sKeepsTheLocalBackendAndShipsNoSecret() {
        Map<String, Object> values = values("k3s");
        Map<String, Object> tempo = KubeObject.path(values, "tempo");

        assertThat(Bundle.load(store.dir()).descriptor().environments()).as("enable s3 on k3s with the object store")
                .doesNotContain("k3s");
        assertThat(KubeObject.path(tempo, "storage", "trace")).containsEntry("backend", "local").doesNotContainKey("s3");
        assertThat(tempo).doesNotContainKeys("extraEnvFrom", "extraArgs");
        assertThat(KubeObject.path(values, "persistence")).containsEntry("enabled", true);
        assertThat(OUTPUT.objects("k3s")).extracting(KubeObject::kind).containsOnly("Application");
    }

    /**
     * Tempo runs outside the mesh (observability: istio-injection disabled) and speaks plain HTTP, without a mesh
     * identity, so the meshed object store must take exactly that on its S3 port: a source namespace or service
     * account cannot be matched without mTLS, which is why its policy admits {@code notPrincipals: ["*"]}.
     */
    @Test
    void theObjectStoreAcceptsTempoFromOutsideTheMesh(@TempDir Path work) {
        store.assertAcceptsUnmeshedClientsOf(destination("k3d"), work);
    }

    private static String envReference(Object value, String where) {
        Matcher m = ENV_REFERENCE.matcher(String.valueOf(value));
        assertThat(m.matches()).as("%s is ${VARIABLE}, not a literal: %s", where, value).isTrue();
        return m.group(1);
    }

    private static String destination(String env) {
        return KubeObject.string(KubeObject.path(OUTPUT.object(env, "Application", TEMPO).body(), "spec", "destination")
                .get("namespace"));
    }

    private static Map<String, Object> values(String env) {
        return TracingBundleTest.values(OUTPUT.object(env, "Application", TEMPO));
    }
}
