package io.homestack.observability.tracing;

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
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tempo's k3d storage against a real versitygw (build.sh versitygw; skipped with the reason outside CI when missing, a
 * failure in CI) set up the way backup/object-store sets up its gateway: its provision.sh, from its rendered ConfigMap,
 * run with its Job's BUCKETS and its k3d users and root Secrets. Then an S3 client configured from Tempo's k3d values
 * (bucket, region, path-style, plain HTTP; the endpoint's host and port replaced by the gateway on loopback) with the
 * keys of Tempo's own SealedSecret does what Tempo's backend does in its bucket: check the bucket exists (at start),
 * write a block's objects (a large one in parts), list tenants and blocks by delimiter, read (whole and a range),
 * delete (the compactor). The other buckets refuse it (403), and so does the gateway when the request is signed for
 * another region than the values name.
 */
@ExtendWith(SkipsCounted.class)
class TempoObjectStoreIT {

    private static final String TEMPO = TracingBundleTest.TEMPO;

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
        KubeObject app = BundleOutput.ofModule().object("k3d", "Application", TEMPO);
        s3 = KubeObject.path(TracingBundleTest.values(app), "tempo", "storage", "trace", "s3");
        bucket = KubeObject.string(s3.get("bucket"));
        credentials = key.unseal(BundleOutput.ofModule().object("k3d", "SealedSecret", "tempo-s3-credentials").body(),
                "tempo-s3-credentials");

        server = store.startProvisioned(versitygw, work);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void tempoWritesListsReadsAndDeletesABlockInItsBucket() {
        try (S3Client client = client(KubeObject.string(s3.get("region")))) {
            client.headBucket(b -> b.bucket(bucket));
            String block = "single-tenant/0b6f8a5e-4c1d-4e7a-9a51-2f0d3c7b9e11/";
            client.putObject(b -> b.bucket(bucket).key(block + "meta.json"), RequestBody.fromString("{\"format\":\"vParquet4\"}"));
            byte[] data = new byte[6 * 1024 * 1024 + 7];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i % 251);
            }
            String upload = client.createMultipartUpload(b -> b.bucket(bucket).key(block + "data.parquet")).uploadId();
            int part = 5 * 1024 * 1024;
            String first = client.uploadPart(b -> b.bucket(bucket).key(block + "data.parquet").uploadId(upload)
                    .partNumber(1), RequestBody.fromBytes(Arrays.copyOfRange(data, 0, part))).eTag();
            String second = client.uploadPart(b -> b.bucket(bucket).key(block + "data.parquet").uploadId(upload)
                    .partNumber(2), RequestBody.fromBytes(Arrays.copyOfRange(data, part, data.length))).eTag();
            client.completeMultipartUpload(b -> b.bucket(bucket).key(block + "data.parquet").uploadId(upload)
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(first).build(),
                            CompletedPart.builder().partNumber(2).eTag(second).build())));

            assertThat(client.listObjectsV2(b -> b.bucket(bucket).delimiter("/")).commonPrefixes())
                    .extracting(CommonPrefix::prefix).as("the tenants").containsExactly("single-tenant/");
            assertThat(client.listObjectsV2(b -> b.bucket(bucket).prefix("single-tenant/").delimiter("/"))
                    .commonPrefixes()).extracting(CommonPrefix::prefix).as("the blocks").containsExactly(block);
            assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key(block + "data.parquet")).asByteArray())
                    .isEqualTo(data);
            assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key(block + "data.parquet")
                    .range("bytes=" + (part - 2) + "-" + (part + 1))).asByteArray()).as("a range across the parts")
                    .isEqualTo(Arrays.copyOfRange(data, part - 2, part + 2));

            client.deleteObject(b -> b.bucket(bucket).key(block + "data.parquet"));
            client.deleteObject(b -> b.bucket(bucket).key(block + "meta.json"));
            assertThat(client.listObjectsV2(b -> b.bucket(bucket).prefix(block)).contents()).as("compacted away")
                    .extracting(S3Object::key).isEmpty();
        }
    }

    @Test
    void everyOtherBucketRefusesTempo() {
        try (S3Client client = client(KubeObject.string(s3.get("region")))) {
            assertThat(store.bucketOwners()).containsKey(bucket).hasSizeGreaterThan(1);
            for (String other : store.bucketOwners().keySet().stream().filter(b -> !b.equals(bucket)).toList()) {
                denied(() -> client.putObject(b -> b.bucket(other).key("single-tenant/x"), RequestBody.fromString("x")),
                        "writing to " + other);
                denied(() -> client.listObjectsV2(b -> b.bucket(other)), "listing " + other);
                denied(() -> client.getObjectAsBytes(b -> b.bucket(other).key("single-tenant/x")), "reading from " + other);
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

    /** Tempo's values as an S3 client: plain HTTP when insecure, path-style, the region given; the gateway on loopback. */
    private static S3Client client(String region) {
        URI endpoint = URI.create((Boolean.TRUE.equals(s3.get("insecure")) ? "http" : "https") + "://"
                + server.endpoint().getAuthority());
        return S3Client.builder().endpointOverride(endpoint).region(Region.of(region))
                .forcePathStyle(Boolean.TRUE.equals(s3.get("forcepathstyle")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        fromEnv(s3.get("access_key")), fromEnv(s3.get("secret_key")))))
                .build();
    }

    /** What Tempo's -config.expand-env makes of {@code ${NAME}}: the key NAME of the Secret its envFrom names. */
    private static String fromEnv(Object reference) {
        String ref = KubeObject.string(reference);
        assertThat(ref).startsWith("${").endsWith("}");
        return credentials.stringValue(ref.substring(2, ref.length() - 1));
    }

    private static void denied(Runnable call, String what) {
        assertThatThrownBy(call::run).as("tempo " + what).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.statusCode()).as(what + ": " + e.getMessage()).isEqualTo(403));
    }
}
