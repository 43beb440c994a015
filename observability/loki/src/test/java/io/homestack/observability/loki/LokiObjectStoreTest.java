package io.homestack.observability.loki;

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
 * Loki's storage against backup/object-store as that bundle renders it (nothing of the S3 interface is written twice
 * here): on k3d the bucket the Job gives the loki user, the Job's endpoint and the gateway's region, with the keys of
 * this bundle's SealedSecret, which holds exactly the object store's loki user; on k3s the filesystem, and no Secret.
 */
class LokiObjectStoreTest {

    private static final String LOKI = "loki-loki";
    private static final String USER = "loki";
    /** A value that Loki's -config.expand-env replaces with the environment variable of that name. */
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private static final BundleOutput OUTPUT = BundleOutput.ofModule();
    private static ObjectStoreRender store;

    @BeforeAll
    static void renderTheObjectStore(@TempDir Path work) {
        store = ObjectStoreRender.k3d(ObjectStoreRender.repository(), work);
    }

    @Test
    void k3dKeepsChunksAndIndexInTheLokiUsersBucketAtTheObjectStoresEndpoint() {
        Map<String, Object> loki = KubeObject.path(values("k3d"), "loki");
        Map<String, Object> storage = KubeObject.path(loki, "storage");
        Map<String, Object> s3 = KubeObject.path(storage, "s3");
        URI endpoint = store.endpoint();

        assertThat(storage).containsEntry("type", "s3");
        assertThat(KubeObject.path(storage, "bucketNames")).as("only chunks: the ruler is off")
                .containsExactly(Map.entry("chunks", store.bucketOf(USER)));
        assertThat(s3.get("endpoint")).as("the object store's Service and port, host:port (%s)", endpoint)
                .isEqualTo(endpoint.getHost() + ":" + endpoint.getPort());
        assertThat(s3.get("insecure")).as("plain HTTP exactly when the endpoint is http (%s)", endpoint)
                .isEqualTo("http".equals(endpoint.getScheme()));
        assertThat(s3).containsEntry("region", store.region()).containsEntry("s3ForcePathStyle", true)
                .doesNotContainKeys("s3", "signatureVersion");
        assertThat(KubeObject.path(values("k3d"), "ruler")).containsEntry("enabled", false);
    }

    /** Loki reads each day from the store its schema period names, and keeps delete requests in one store too. */
    @Test
    void k3dsSchemaAndDeleteRequestsUseTheObjectStore() {
        Map<String, Object> loki = KubeObject.path(values("k3d"), "loki");
        List<Object> periods = KubeObject.list(KubeObject.path(loki, "schemaConfig").get("configs"));

        assertThat(periods).as("the filesystem period is replaced, not kept: no release ran on filesystem storage")
                .singleElement().satisfies(p -> assertThat(KubeObject.map(p)).containsEntry("object_store", "s3")
                        .containsEntry("store", "tsdb").containsEntry("schema", "v13"));
        assertThat(KubeObject.path(loki, "compactor")).containsEntry("delete_request_store", "s3")
                .containsEntry("retention_enabled", true);
    }

    /**
     * The keys are environment variables (Loki runs with -config.expand-env=true, the chart's default) filled from the
     * Secret the single binary's envFrom names; that Secret is this bundle's SealedSecret, in Loki's namespace, with
     * exactly the keys the storage config names.
     */
    @Test
    void k3dsKeysComeFromTheSealedSecretTheSingleBinaryReads() {
        Map<String, Object> values = values("k3d");
        Map<String, Object> s3 = KubeObject.path(values, "loki", "storage", "s3");
        String accessKey = envReference(s3.get("accessKeyId"), "loki.storage.s3.accessKeyId");
        String secretKey = envReference(s3.get("secretAccessKey"), "loki.storage.s3.secretAccessKey");

        List<Object> envFrom = KubeObject.list(KubeObject.path(values, "singleBinary").get("extraEnvFrom"));
        assertThat(envFrom).hasSize(1);
        String secret = KubeObject.string(KubeObject.path(KubeObject.map(envFrom.get(0)), "secretRef").get("name"));
        KubeObject sealed = OUTPUT.object("k3d", "SealedSecret", secret);
        assertThat(sealed.namespace()).isEqualTo(destination("k3d"));
        assertThat(KubeObject.path(sealed.body(), "spec", "encryptedData").keySet())
                .containsExactlyInAnyOrder(accessKey, secretKey);
    }

    /** Opened with the committed k3d key: the loki user's access key id and secret of object-store-users, no other. */
    @Test
    void theSealedCredentialsAreExactlyTheObjectStoresLokiUser() {
        Unsealer key = ObjectStoreRender.k3dKey();
        SecretManifest users = store.unseal(key, "object-store-users");
        SecretManifest own = key.unseal(OUTPUT.object("k3d", "SealedSecret", "loki-s3-credentials").body(),
                "loki-s3-credentials");

        assertThat(own.data()).containsOnlyKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
        assertThat(own.stringValue("AWS_ACCESS_KEY_ID")).isEqualTo(users.stringValue(USER + "-access-key-id"));
        assertThat(own.stringValue("AWS_SECRET_ACCESS_KEY")).isEqualTo(users.stringValue(USER + "-secret-access-key"));
        assertThat(store.bucketOwners()).as("the user whose keys these are owns the bucket Loki writes to")
                .containsEntry(KubeObject.string(KubeObject.path(values("k3d"), "loki", "storage", "bucketNames")
                        .get("chunks")), own.stringValue("AWS_ACCESS_KEY_ID"));
    }

    /** k3s has no object store yet (backup/object-store ships on k3d only): the volume, and no own objects. */
    @Test
    void k3sKeepsTheFilesystemAndShipsNoSecret() {
        Map<String, Object> values = values("k3s");
        Map<String, Object> loki = KubeObject.path(values, "loki");

        assertThat(Bundle.load(store.dir()).descriptor().environments()).as("enable s3 on k3s with the object store")
                .doesNotContain("k3s");
        assertThat(KubeObject.path(loki, "storage")).containsEntry("type", "filesystem").doesNotContainKey("bucketNames");
        assertThat(KubeObject.list(KubeObject.path(loki, "schemaConfig").get("configs"))).isNotEmpty()
                .allSatisfy(p -> assertThat(KubeObject.map(p)).containsEntry("object_store", "filesystem"));
        assertThat(KubeObject.path(loki, "compactor")).containsEntry("delete_request_store", "filesystem");
        assertThat(KubeObject.path(values, "singleBinary")).doesNotContainKey("extraEnvFrom");
        assertThat(OUTPUT.objects("k3s")).extracting(KubeObject::kind).containsOnly("Application");
    }

    /**
     * Loki runs outside the mesh (observability: istio-injection disabled) and speaks plain HTTP, without a mesh
     * identity, so the meshed object store must take exactly that on its S3 port: a source namespace or service
     * account cannot be matched without mTLS, which is why its policy admits {@code notPrincipals: ["*"]}.
     */
    @Test
    void theObjectStoreAcceptsLokiFromOutsideTheMesh(@TempDir Path work) {
        store.assertAcceptsUnmeshedClientsOf(destination("k3d"), work);
    }

    private static String envReference(Object value, String where) {
        Matcher m = ENV_REFERENCE.matcher(String.valueOf(value));
        assertThat(m.matches()).as("%s is ${VARIABLE}, not a literal: %s", where, value).isTrue();
        return m.group(1);
    }

    private static String destination(String env) {
        return KubeObject.string(KubeObject.path(OUTPUT.object(env, "Application", LOKI).body(), "spec", "destination")
                .get("namespace"));
    }

    private static Map<String, Object> values(String env) {
        return KubeObject.path(OUTPUT.object(env, "Application", LOKI).body(), "spec", "source", "helm", "valuesObject");
    }
}
