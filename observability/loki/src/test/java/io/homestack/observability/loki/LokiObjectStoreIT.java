package io.homestack.observability.loki;

import io.homestack.bundle.test.ObjectStoreRender;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.seal.SecretManifest;
import io.homestack.bundle.seal.Unsealer;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.engine.Versitygw;
import io.homestack.testsupport.SkipsCounted;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Loki's k3d storage against a real versitygw (build.sh versitygw; skipped with the reason outside CI when missing, a
 * failure in CI) set up the way backup/object-store sets up its gateway: its provision.sh, from its rendered ConfigMap,
 * run with its Job's BUCKETS and its k3d users and root Secrets. Then an S3 client configured from Loki's k3d values
 * (bucket, region, path-style, plain HTTP; the endpoint's host and port replaced by the gateway on loopback) with the
 * keys of Loki's own SealedSecret does what Loki's chunk and index clients do in its bucket: write, list by prefix and
 * delimiter, read (whole and a range), delete. The other buckets refuse it (403), and so does the gateway when the
 * request is signed for another region than the values name.
 */
@ExtendWith(SkipsCounted.class)
class LokiObjectStoreIT {

    private static final String LOKI = "loki-loki";

    private static Versitygw.Server server;
    private static ObjectStoreRender store;
    private static SecretManifest credentials;
    private static Map<String, Object> s3;
    private static String bucket;

    @BeforeAll
    static void provisionedObjectStore(@TempDir Path work) throws Exception {
        Versitygw versitygw = Versitygw.locate();
        store = ObjectStoreRender.k3d(ObjectStoreRender.repository(), work.resolve("render"));
        Unsealer key = ObjectStoreRender.k3dKey();
        KubeObject app = BundleOutput.ofModule().object("k3d", "Application", LOKI);
        Map<String, Object> values = KubeObject.path(app.body(), "spec", "source", "helm", "valuesObject");
        s3 = KubeObject.path(values, "loki", "storage", "s3");
        bucket = KubeObject.string(KubeObject.path(values, "loki", "storage", "bucketNames").get("chunks"));
        credentials = key.unseal(BundleOutput.ofModule().object("k3d", "SealedSecret", "loki-s3-credentials").body(),
                "loki-s3-credentials");

        server = store.startProvisioned(versitygw, work);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void lokiWritesListsReadsAndDeletesChunksAndIndexInItsBucket() {
        try (S3Client client = client(KubeObject.string(s3.get("region")))) {
            client.headBucket(b -> b.bucket(bucket));
            String chunk = "fake/7f3a9c/18c2d4e5f6:18c2d4e600:9b1e2c3d";
            String index = "index/index_20423/1765000000-loki-0-1765000000.tsdb.gz";
            client.putObject(b -> b.bucket(bucket).key(chunk), RequestBody.fromString("chunk-bytes-0123456789"));
            client.putObject(b -> b.bucket(bucket).key(index), RequestBody.fromString("tsdb"));

            assertThat(client.listObjectsV2(b -> b.bucket(bucket).prefix("index/").delimiter("/")).commonPrefixes())
                    .extracting(CommonPrefix::prefix).as("the index tables, one per day").containsExactly("index/index_20423/");
            assertThat(client.listObjectsV2(b -> b.bucket(bucket).prefix("index/index_20423/")).contents())
                    .extracting(S3Object::key).containsExactly(index);
            assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key(chunk)).asUtf8String())
                    .isEqualTo("chunk-bytes-0123456789");
            assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key(chunk).range("bytes=6-10")).asUtf8String())
                    .isEqualTo("bytes");

            client.deleteObject(b -> b.bucket(bucket).key(chunk));
            assertThat(client.listObjectsV2(b -> b.bucket(bucket).prefix("fake/")).contents()).as("retention deleted it")
                    .isEmpty();
        }
    }

    @Test
    void everyOtherBucketRefusesLoki() {
        try (S3Client client = client(KubeObject.string(s3.get("region")))) {
            assertThat(store.bucketOwners()).containsKey(bucket).hasSizeGreaterThan(1);
            for (String other : store.bucketOwners().keySet().stream().filter(b -> !b.equals(bucket)).toList()) {
                denied(() -> client.putObject(b -> b.bucket(other).key("fake/x"), RequestBody.fromString("x")),
                        "writing to " + other);
                denied(() -> client.listObjectsV2(b -> b.bucket(other)), "listing " + other);
                denied(() -> client.getObjectAsBytes(b -> b.bucket(other).key("fake/x")), "reading from " + other);
            }
        }
    }

    /** Why the values name the region: the gateway checks the region a request is signed for. */
    @Test
    void aRequestSignedForAnotherRegionIsRefused() {
        try (S3Client client = client("eu-west-1")) {
            assertThatThrownBy(() -> client.listObjectsV2(b -> b.bucket(bucket))).isInstanceOfSatisfying(
                    S3Exception.class, e -> assertThat(e.awsErrorDetails().errorMessage()).as(e.getMessage())
                            .contains("eu-west-1"));
        }
    }

    /** Loki's values as an S3 client: plain HTTP when insecure, path-style, the region given; the gateway on loopback. */
    private static S3Client client(String region) {
        URI endpoint = URI.create((Boolean.TRUE.equals(s3.get("insecure")) ? "http" : "https") + "://"
                + server.endpoint().getAuthority());
        return S3Client.builder().endpointOverride(endpoint).region(Region.of(region))
                .forcePathStyle(Boolean.TRUE.equals(s3.get("s3ForcePathStyle")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        fromEnv(s3.get("accessKeyId")), fromEnv(s3.get("secretAccessKey")))))
                .build();
    }

    /** What Loki's -config.expand-env makes of {@code ${NAME}}: the key NAME of the Secret its envFrom names. */
    private static String fromEnv(Object reference) {
        String ref = KubeObject.string(reference);
        assertThat(ref).startsWith("${").endsWith("}");
        return credentials.stringValue(ref.substring(2, ref.length() - 1));
    }

    private static void denied(Runnable call, String what) {
        assertThatThrownBy(call::run).as("loki " + what).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.statusCode()).as(what + ": " + e.getMessage()).isEqualTo(403));
    }
}
