package io.homestack.bundle.test;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.seal.SecretManifest;
import io.homestack.bundle.test.engine.Versitygw;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A bundle that keeps its data in backup/object-store's gateway (Loki's chunks, Tempo's blocks), as that bundle's
 * tenant: a real versitygw set up by the object store's own provision.sh with its k3d users ({@link ObjectStoreRender}),
 * and an S3 client configured the way the tenant's values configure its own (plain HTTP when {@code insecure},
 * path-style, the region; the endpoint's host and port replaced by the gateway on loopback) with the keys of the
 * tenant's own SealedSecret, which the values name as {@code ${NAME}} (what {@code -config.expand-env} reads from the
 * Secret's envFrom). Needs the AWS SDK's {@code s3} on the test classpath (an optional dependency of the kit).
 */
public final class ObjectStoreTenant implements AutoCloseable {

    /** The names of a chart's S3 settings: path-style, access key and secret key (the region is {@code region}). */
    public record Keys(String pathStyle, String accessKey, String secretKey) {
    }

    private final String name;
    private final Map<String, Object> s3;
    private final Keys keys;
    private final String bucket;
    private final SecretManifest credentials;
    private final ObjectStoreRender store;
    private final Versitygw.Server server;

    private ObjectStoreTenant(String name, Map<String, Object> s3, Keys keys, String bucket, SecretManifest credentials,
                              ObjectStoreRender store, Versitygw.Server server) {
        this.name = name;
        this.s3 = s3;
        this.keys = keys;
        this.bucket = bucket;
        this.credentials = credentials;
        this.store = store;
        this.server = server;
    }

    /**
     * Starts the provisioned gateway for a tenant.
     *
     * @param name         the tenant, for messages (e.g. {@code loki})
     * @param s3           the tenant's S3 values (rendered, k3d)
     * @param bucket       its bucket, as its values name it
     * @param keys         the names of the S3 settings in those values, which differ between charts
     * @param sealedSecret its SealedSecret in the module's k3d render, opened with the committed k3d key
     */
    public static ObjectStoreTenant start(String name, Map<String, Object> s3, Keys keys, String bucket,
                                          String sealedSecret, Path work) throws IOException, InterruptedException {
        Versitygw versitygw = Versitygw.locate();
        ObjectStoreRender store = ObjectStoreRender.k3d(ObjectStoreRender.repository(), work.resolve("render"));
        SecretManifest credentials = ObjectStoreRender.k3dKey().unseal(
                BundleOutput.ofModule().object("k3d", "SealedSecret", sealedSecret).body(), sealedSecret);
        return new ObjectStoreTenant(name, s3, keys, bucket, credentials, store,
                store.startProvisioned(versitygw, work));
    }

    public String bucket() {
        return bucket;
    }

    /** A client in the region the values name. */
    public S3Client client() {
        return client(KubeObject.string(s3.get("region")));
    }

    /** A client signing for {@code region}. */
    public S3Client client(String region) {
        URI endpoint = URI.create((Boolean.TRUE.equals(s3.get("insecure")) ? "http" : "https") + "://"
                + server.endpoint().getAuthority());
        return S3Client.builder().endpointOverride(endpoint).region(Region.of(region))
                .forcePathStyle(Boolean.TRUE.equals(s3.get(keys.pathStyle())))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        fromEnv(s3.get(keys.accessKey())), fromEnv(s3.get(keys.secretKey())))))
                .build();
    }

    /** Every other bucket of the object store refuses the tenant (403) writing, listing and reading {@code key}. */
    public void assertEveryOtherBucketRefuses(String key) {
        try (S3Client client = client()) {
            assertThat(store.bucketOwners()).containsKey(bucket).hasSizeGreaterThan(1);
            for (String other : store.bucketOwners().keySet().stream().filter(b -> !b.equals(bucket)).toList()) {
                denied(() -> client.putObject(b -> b.bucket(other).key(key), RequestBody.fromString("x")),
                        "writing to " + other);
                denied(() -> client.listObjectsV2(b -> b.bucket(other)), "listing " + other);
                denied(() -> client.getObjectAsBytes(b -> b.bucket(other).key(key)), "reading from " + other);
            }
        }
    }

    /** Why the values name the region: the gateway refuses a request signed for another one, naming it. */
    public void assertAnotherRegionIsRefused() {
        try (S3Client client = client("eu-west-1")) {
            assertThatThrownBy(() -> client.listObjectsV2(b -> b.bucket(bucket))).isInstanceOfSatisfying(
                    S3Exception.class, e -> assertThat(e.awsErrorDetails().errorMessage()).as(e.getMessage())
                            .contains("eu-west-1"));
        }
    }

    @Override
    public void close() {
        server.close();
    }

    /** What {@code -config.expand-env} makes of {@code ${NAME}}: the key NAME of the Secret the envFrom names. */
    private String fromEnv(Object reference) {
        String ref = KubeObject.string(reference);
        assertThat(ref).as(name + "'s S3 key reference").startsWith("${").endsWith("}");
        return credentials.stringValue(ref.substring(2, ref.length() - 1));
    }

    private void denied(Runnable call, String what) {
        assertThatThrownBy(call::run).as(name + " " + what).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.statusCode()).as(what + ": " + e.getMessage()).isEqualTo(403));
    }
}
