package io.homestack.observability.tracing;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.ObjectStoreTenant;
import io.homestack.testsupport.SkipsCounted;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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

    private static ObjectStoreTenant tempo;
    private static String bucket;

    @BeforeAll
    static void provisionedObjectStore(@TempDir Path work) throws Exception {
        KubeObject app = BundleOutput.ofModule().object("k3d", "Application", TEMPO);
        Map<String, Object> s3 = KubeObject.path(TracingBundleTest.values(app), "tempo", "storage", "trace", "s3");
        bucket = KubeObject.string(s3.get("bucket"));
        tempo = ObjectStoreTenant.start("tempo", s3, new ObjectStoreTenant.Keys("forcepathstyle", "access_key",
                "secret_key"), bucket, "tempo-s3-credentials", work);
    }

    @AfterAll
    static void stop() {
        if (tempo != null) {
            tempo.close();
        }
    }

    @Test
    void tempoWritesListsReadsAndDeletesABlockInItsBucket() {
        try (S3Client client = tempo.client()) {
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
        tempo.assertEveryOtherBucketRefuses("single-tenant/x");
    }

    /** Why the values name the region: the gateway checks the region a request is signed for. */
    @Test
    void aRequestSignedForAnotherRegionIsRefused() {
        tempo.assertAnotherRegionIsRefused();
    }
}
