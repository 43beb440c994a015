package io.homestack.backup.objectstore;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.seal.SecretManifest;
import io.homestack.bundle.seal.Unsealer;
import io.homestack.bundle.test.BundleRenders;
import io.homestack.bundle.test.engine.Versitygw;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bucket provisioning as the bundle ships it: provision.sh from the rendered ConfigMap object-store-provision, run
 * with {@code sh} and the provisioning Job's BUCKETS against a real versitygw (build.sh versitygw; posix backend,
 * sidecar metadata, internal IAM, as values/versitygw.yaml runs it), with the k3d credentials (the SealedSecrets
 * opened with the committed k3d test key). Each user can read and write its own bucket only; a second run exits 0 and
 * changes nothing; bad input fails naming the user, bucket or endpoint, before any change.
 */
class ProvisionScriptIT {

    private static final BundleRenders RENDERS = BundleRenders.ofModule();
    /** The gateway's data, object metadata and IAM directories (the chart's subPaths of its one volume). */
    private static final List<String> GATEWAY_DIRS = List.of("data", "metadata", "iam");
    private static final Path K3D_KEY = RENDERS.bundleDir().resolve(
            "../../clusters/k3d/sealed-secrets/sealed-secrets-k3d.key").normalize();

    private Versitygw versitygw;
    private static String script;
    private static String buckets;
    private static SecretManifest root;
    private static SecretManifest users;

    @TempDir
    Path work;

    /** Per test, so that each one is counted as skipped (outside CI) when versitygw is missing. */
    @BeforeEach
    void gateway() {
        versitygw = Versitygw.locate();
    }

    @BeforeAll
    static void theShippedScriptAndCredentials() {
        script = KubeObject.string(KubeObject.path(RENDERS.object("k3d", "ConfigMap", "object-store-provision").body(),
                "data").get("provision.sh"));
        buckets = jobEnv("BUCKETS");
        Unsealer unsealer = Unsealer.load(K3D_KEY);
        root = unsealer.unseal(RENDERS.object("k3d", "SealedSecret", "object-store-root").body(), "object-store-root");
        users = unsealer.unseal(RENDERS.object("k3d", "SealedSecret", "object-store-users").body(), "object-store-users");
    }

    @Test
    void eachUserOwnsItsBucketAloneAndASecondRunChangesNothing() throws Exception {
        Map<String, String> owners = pairs(buckets);
        assertThat(owners).as("the Job's BUCKETS: the S3 interface's buckets and users").containsExactlyInAnyOrderEntriesOf(
                Map.of("velero", "velero", "loki-chunks", "loki", "tempo-traces", "tempo"));
        try (Versitygw.Server server = start()) {
            Run first = provision(server.endpoint(), rootSecret(), buckets, usersDir(users.data().keySet()));
            assertThat(first.exit()).as(first.toString()).isZero();
            owners.forEach((bucket, user) -> assertThat(first.stdout()).contains("user " + user + ": created")
                    .contains("bucket " + bucket + ": created, owner " + user));

            for (Map.Entry<String, String> own : owners.entrySet()) {
                try (S3Client s3 = client(server.endpoint(), own.getValue())) {
                    String key = "probe/" + own.getValue();
                    s3.putObject(b -> b.bucket(own.getKey()).key(key), RequestBody.fromString("from " + own.getValue()));
                    assertThat(s3.getObjectAsBytes(b -> b.bucket(own.getKey()).key(key)).asUtf8String())
                            .isEqualTo("from " + own.getValue());
                    assertThat(s3.listObjectsV2(b -> b.bucket(own.getKey())).contents()).extracting(S3Object::key)
                            .containsExactly(key);
                    assertThat(s3.listBuckets().buckets()).extracting(Bucket::name).as("%s sees its bucket only",
                            own.getValue()).containsExactly(own.getKey());
                    for (String other : owners.keySet().stream().filter(b -> !b.equals(own.getKey())).toList()) {
                        assertDenied(() -> s3.putObject(b -> b.bucket(other).key(key), RequestBody.fromString("x")),
                                own.getValue() + " writing to " + other);
                        assertDenied(() -> s3.listObjectsV2(b -> b.bucket(other)), own.getValue() + " listing " + other);
                        assertDenied(() -> s3.getObjectAsBytes(b -> b.bucket(other).key("probe/" + owners.get(other))),
                                own.getValue() + " reading from " + other);
                    }
                }
            }

            Map<String, String> before = state();
            assertThat(before.keySet()).as("object metadata in sidecar files, as the chart's values run it")
                    .anySatisfy(f -> assertThat(f).startsWith("metadata/velero/"));
            Run second = provision(server.endpoint(), rootSecret(), buckets, usersDir(users.data().keySet()));
            assertThat(second.exit()).as(second.toString()).isZero();
            assertThat(second.stdout()).doesNotContain("created", "changed");
            owners.forEach((bucket, user) -> assertThat(second.stdout()).contains("bucket " + bucket + ": exists, owner "
                    + user));
            assertThat(state()).as("users, bucket metadata and objects after the second run").isEqualTo(before);
            try (S3Client s3 = client(server.endpoint(), "velero")) {
                assertThat(s3.getObjectAsBytes(b -> b.bucket("velero").key("probe/velero")).asUtf8String())
                        .isEqualTo("from velero");
            }
        }
    }

    @Test
    void aBucketOwnedBySomeoneElseIsHandedToItsUser() throws Exception {
        try (Versitygw.Server server = start()) {
            Path dir = usersDir(users.data().keySet());
            assertThat(provision(server.endpoint(), rootSecret(), "loki-chunks:velero", dir).exit()).isZero();

            Run run = provision(server.endpoint(), rootSecret(), buckets, dir);
            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.stdout()).contains("bucket loki-chunks: owner changed from velero to loki");
            try (S3Client loki = client(server.endpoint(), "loki"); S3Client velero = client(server.endpoint(), "velero")) {
                loki.putObject(b -> b.bucket("loki-chunks").key("chunk"), RequestBody.fromString("c"));
                assertDenied(() -> velero.putObject(b -> b.bucket("loki-chunks").key("chunk"), RequestBody.fromString("v")),
                        "velero writing to loki-chunks after the hand-over");
            }
        }
    }

    @Test
    void aRotatedSecretIsAppliedOnTheNextRun() throws Exception {
        try (Versitygw.Server server = start()) {
            Path dir = usersDir(users.data().keySet());
            assertThat(provision(server.endpoint(), rootSecret(), buckets, dir).exit()).isZero();
            Files.writeString(dir.resolve("loki-secret-access-key"), "loki-rotated-secret");

            Run run = provision(server.endpoint(), rootSecret(), buckets, dir);
            assertThat(run.exit()).as(run.toString()).isZero();
            try (S3Client rotated = client(server.endpoint(), "loki", "loki-rotated-secret");
                 S3Client old = client(server.endpoint(), "loki", users.stringValue("loki-secret-access-key"))) {
                rotated.putObject(b -> b.bucket("loki-chunks").key("after-rotation"), RequestBody.fromString("r"));
                assertDenied(() -> old.listObjectsV2(b -> b.bucket("loki-chunks")), "loki with the old secret");
            }
        }
    }

    @Test
    void aMissingKeyFileFailsNamingTheUserBeforeAnyChange() throws Exception {
        try (Versitygw.Server server = start()) {
            Map<String, String> before = state();
            Path dir = usersDir(users.data().keySet().stream().filter(k -> !k.equals("tempo-secret-access-key")).toList());

            Run run = provision(server.endpoint(), rootSecret(), buckets, dir);
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.stderr()).contains("user tempo (bucket tempo-traces)")
                    .contains(dir.resolve("tempo-secret-access-key").toString()).contains("missing or empty");
            assertThat(state()).as("no user, no bucket: the input is checked before the first change")
                    .isEqualTo(before);
        }
    }

    @Test
    void wrongRootCredentialsFailNamingTheEndpoint() throws Exception {
        try (Versitygw.Server server = start()) {
            Map<String, String> before = state();

            Run run = provision(server.endpoint(), "not-the-root-secret", buckets, usersDir(users.data().keySet()));
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.stderr()).contains("cannot list the users at " + server.endpoint());
            assertThat(state()).isEqualTo(before);
        }
    }

    /** Checked before the gateway is called: the endpoint here answers nothing. */
    @ParameterizedTest
    @ValueSource(strings = {"velero", "velero:", ":velero", "velero:velero:x", "velero:velero velero:loki"})
    void aMalformedBucketsListFailsNamingTheEntry(String bad) throws Exception {
        Run run = provision(URI.create("http://127.0.0.1:9"), rootSecret(), bad, usersDir(users.data().keySet()));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).startsWith("provision: ").containsAnyOf("BUCKETS entry '" + bad + "'",
                "bucket velero: listed twice");
    }

    /** A gateway as values/versitygw.yaml runs it: posix, metadata in sidecar files, internal IAM; the k3d root. */
    private Versitygw.Server start() throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (String dir : GATEWAY_DIRS) {
            dirs.add(Files.createDirectories(work.resolve("gateway").resolve(dir)));
        }
        return versitygw.start(dirs.get(0), dirs.get(1), dirs.get(2), root.stringValue("rootAccessKeyId"),
                root.stringValue("rootSecretAccessKey"), work.resolve("gateway/versitygw.log"));
    }

    private static String rootSecret() {
        return root.stringValue("rootSecretAccessKey");
    }

    /** The users Secret as the Job mounts it: one file per key. */
    private Path usersDir(Iterable<String> keys) throws IOException {
        Path dir = Files.createTempDirectory(work, "users");
        for (String key : keys) {
            Files.writeString(dir.resolve(key), users.stringValue(key));
        }
        return dir;
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    /** sh provision.sh with the Job's inputs, the endpoint on loopback; versitygw's directory first on the PATH. */
    private Run provision(URI endpoint, String rootSecretAccessKey, String bucketPairs, Path usersDir) throws Exception {
        Path file = work.resolve("provision.sh");
        Files.writeString(file, script);
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder("sh", file.toString()).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.put("PATH", versitygw.binary().getParent() + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("S3_ENDPOINT", endpoint.toString());
        env.put("ROOT_ACCESS_KEY_ID", root.stringValue("rootAccessKeyId"));
        env.put("ROOT_SECRET_ACCESS_KEY", rootSecretAccessKey);
        env.put("BUCKETS", bucketPairs);
        env.put("USERS_DIR", usersDir.toString());
        Process process = pb.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("provision.sh did not finish within 60 s: " + Files.readString(out));
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static S3Client client(URI endpoint, String user) {
        return client(endpoint, user, users.stringValue(user + "-secret-access-key"));
    }

    private static S3Client client(URI endpoint, String user, String secret) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        users.stringValue(user + "-access-key-id"), secret)))
                .build();
    }

    private static void assertDenied(Runnable call, String what) {
        assertThatThrownBy(call::run).as(what).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.statusCode()).as(what + ": " + e.getMessage()).isEqualTo(403));
    }

    /**
     * Every file of the gateway's data, metadata and IAM directories with the SHA-256 of its content; not the IAM
     * file's own backup (users.json.backup), which versitygw rewrites on each admin write with the previous content.
     */
    private Map<String, String> state() throws IOException {
        Path gateway = work.resolve("gateway");
        Map<String, String> files = new TreeMap<>();
        for (String dir : GATEWAY_DIRS) {
            try (Stream<Path> walk = Files.walk(gateway.resolve(dir))) {
                for (Path f : walk.filter(Files::isRegularFile).filter(f -> !f.endsWith("users.json.backup")).toList()) {
                    files.put(gateway.relativize(f).toString(), sha256(Files.readAllBytes(f)));
                }
            }
        }
        return files;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** bucket to user, from space-separated bucket:user pairs. */
    private static Map<String, String> pairs(String list) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : list.trim().split("\\s+")) {
            pairs.put(pair.substring(0, pair.indexOf(':')), pair.substring(pair.indexOf(':') + 1));
        }
        return pairs;
    }

    private static String jobEnv(String name) {
        Map<String, Object> pod = KubeObject.path(RENDERS.object("k3d", "Job", "object-store-provision").body(),
                "spec", "template", "spec");
        return KubeObject.list(KubeObject.map(KubeObject.list(pod.get("containers")).get(0)).get("env")).stream()
                .map(KubeObject::map).filter(e -> name.equals(e.get("name"))).map(e -> KubeObject.string(e.get("value")))
                .findFirst().orElseThrow(() -> new AssertionError("the Job sets no " + name));
    }
}
