package io.homestack.bundle.oci;

import io.homestack.bundle.AtomicDirectory;
import io.homestack.bundle.BundleException;
import io.homestack.bundle.BundleLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Pushes and pulls bundle artifacts with the OCI distribution API over {@link HttpClient}. Bytes go to the
 * registry exactly as they are in the layout, so the digests the build computed are the digests Argo CD sees; the
 * registry's {@code Docker-Content-Digest} is checked against them.
 *
 * <p>Blobs are uploaded monolithically (POST, then PUT with the digest) after a HEAD shows they are missing, so a
 * repeated push uploads nothing. Connection failures, 5xx and 429 are retried per {@link RetryPolicy}; other
 * answers fail at once with a {@link BundleException} naming registry, repository, request and status.
 */
public final class RegistryClient {

    private static final String MANIFEST_ACCEPT = String.join(", ", MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);
    private static final String DIGEST_HEADER = "Docker-Content-Digest";
    /** Sent by registries with the OCI 1.1 referrers API when they stored a manifest's subject. */
    private static final String SUBJECT_HEADER = "OCI-Subject";

    private final RegistryTarget target;
    private final RegistryHttp http;
    private final RetryPolicy retry;
    private final BundleLog log;

    private RegistryClient(Builder b) {
        this.target = b.target;
        this.retry = b.retry;
        this.log = b.log;
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.http = new RegistryHttp(client, new RegistryAuth(b.credentials, client, b.requestTimeout), b.requestTimeout);
    }

    public static Builder builder(RegistryTarget target) {
        return new Builder(target);
    }

    public RegistryTarget target() {
        return target;
    }

    /** Pushes the layout's manifest to {@code name} with the layout's tag. */
    public PushResult push(OciLayout layout, String name) {
        if (layout.tag() == null) {
            throw new BundleException("Cannot push " + layout.dir() + " to " + target.registry() + ": the layout's "
                    + "manifest has no tag (org.opencontainers.image.ref.name); give one");
        }
        return push(layout, name, layout.tag());
    }

    /**
     * Uploads the missing blobs, then puts the manifest under {@code tag}.
     *
     * @param name bundle name; the repository is the target's prefix + "/" + name
     * @return the manifest digest as confirmed by the registry, and how many blobs were sent
     */
    public PushResult push(OciLayout layout, String name, String tag) {
        String repository = target.repository(name);
        Operation op = operation("push " + repository + ":" + tag + " to " + target.registry());
        if (!References.isTag(tag)) {
            throw op.fail("'" + tag + "' is not a valid OCI tag");
        }
        String scope = "repository:" + repository + ":pull,push";
        Map<String, Descriptor> blobs = new LinkedHashMap<>();
        layout.manifest().blobs().forEach(b -> blobs.putIfAbsent(b.digest(), b));
        int uploaded = 0;
        for (Descriptor blob : blobs.values()) {
            Path file = layout.blobPath(blob.digest());
            if (op.retrying(() -> pushBlob(op, scope, repository, blob, file))) {
                uploaded++;
            }
        }
        byte[] manifest = layout.manifestBytes();
        String confirmed = op.retrying(() -> putManifest(op, scope, repository, tag, manifest));
        if (confirmed == null) {
            confirmed = op.retrying(() -> headDigest(op, scope, repository, tag));
        }
        if (!layout.manifestDigest().equals(confirmed)) {
            throw op.fail("the registry reports manifest digest " + confirmed + " but the layout's manifest is "
                    + layout.manifestDigest() + "; the registry must have rewritten it");
        }
        PushResult result = new PushResult(target.registry(), repository, tag, confirmed, uploaded,
                blobs.size() - uploaded);
        log.info("Pushed " + result.reference() + " (" + confirmed + "; " + uploaded + " of " + blobs.size()
                + " blobs uploaded)");
        return result;
    }

    /**
     * Attaches a referrer (a layout whose manifest has a {@code subject}, e.g. an SBOM) to its subject in the
     * repository of {@code name}: its blobs, then its manifest by digest. A registry with the OCI 1.1 referrers API
     * confirms the subject (header {@value #SUBJECT_HEADER}); for one without it (distribution 2.x, Debian's
     * docker-registry), the referrers tag schema of the distribution spec is kept up to date instead: the index at
     * tag {@code sha256-<hex of the subject>} lists every referrer, this one added once.
     *
     * @return the referrer's manifest digest, as the registry confirmed it
     */
    public PushResult pushReferrer(OciLayout referrer, String name) {
        Descriptor subject = referrer.manifest().subject();
        String repository = target.repository(name);
        Operation op = operation("attach " + referrer.manifest().artifactType() + " to " + repository + "@"
                + (subject == null ? "?" : subject.digest()) + " on " + target.registry());
        if (subject == null) {
            throw op.fail(referrer.dir() + " has no subject: it refers to nothing");
        }
        String scope = "repository:" + repository + ":pull,push";
        int uploaded = 0;
        for (Descriptor blob : referrer.manifest().blobs()) {
            if (op.retrying(() -> pushBlob(op, scope, repository, blob, referrer.blobPath(blob.digest())))) {
                uploaded++;
            }
        }
        String digest = referrer.manifestDigest();
        HttpResponse<byte[]> put = op.retrying(() -> putManifestResponse(op, scope, repository, digest,
                MediaTypes.OCI_MANIFEST, referrer.manifestBytes()));
        if (put.headers().firstValue(SUBJECT_HEADER).isEmpty()) {
            String fallbackTag = subject.digest().replace(':', '-');
            Descriptor entry = Descriptor.of(MediaTypes.OCI_MANIFEST, digest, referrer.manifestBytes().length)
                    .withArtifactType(referrer.manifest().artifactType())
                    .withAnnotations(referrer.manifest().annotations());
            op.retrying(() -> addToReferrersTag(op, scope, repository, fallbackTag, entry));
        }
        PushResult result = new PushResult(target.registry(), repository, null, digest, uploaded,
                referrer.manifest().blobs().size() - uploaded);
        log.info("Attached " + referrer.manifest().artifactType() + " " + digest + " to " + target.registry() + "/"
                + repository + "@" + subject.digest());
        return result;
    }

    /** The referrers tag schema: read the index at {@code tag} (none yet: an empty one), add {@code entry}, put it. */
    private Void addToReferrersTag(Operation op, String scope, String repository, String tag, Descriptor entry)
            throws TransientFailure {
        HttpResponse<byte[]> get = http.send(op, scope,
                HttpRequest.newBuilder(uri(repository, "manifests", tag)).header("Accept", MediaTypes.OCI_INDEX).GET(),
                HttpResponse.BodyHandlers.ofByteArray());
        ObjectNode index;
        if (get.statusCode() == 404) {
            index = CanonicalJson.mapper().createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
            index.putArray("manifests");
        } else if (get.statusCode() == 200) {
            try {
                index = (ObjectNode) CanonicalJson.parse(get.body());
            } catch (IOException | ClassCastException e) {
                throw op.fail("the referrers index at tag " + tag + " is not a JSON object: " + e.getMessage());
            }
        } else {
            throw op.httpError(get, http.anonymous());
        }
        ArrayNode manifests = index.withArray("manifests");
        for (JsonNode m : manifests) {
            if (entry.digest().equals(m.path("digest").asText())) {
                return null; // already listed: pushing the same SBOM again changes nothing
            }
        }
        manifests.add(entry.toJson());
        putManifestResponse(op, scope, repository, tag, MediaTypes.OCI_INDEX, CanonicalJson.write(index));
        return null;
    }

    /**
     * The referrers of {@code subjectDigest} in the repository of {@code name} as the referrers tag schema lists them
     * (the index at tag {@code sha256-<hex>}, which {@link #pushReferrer} and cosign keep on a registry without the
     * referrers API): each entry's media type, digest, size, artifactType and annotations; none when there is no index.
     */
    public List<Descriptor> referrers(String name, String subjectDigest) {
        String repository = target.repository(name);
        Operation op = operation("list the referrers of " + repository + "@" + subjectDigest + " on " + target.registry());
        requireReference(op, subjectDigest, true);
        String tag = subjectDigest.replace(':', '-');
        HttpResponse<byte[]> get = op.retrying(() -> http.send(op, "repository:" + repository + ":pull",
                HttpRequest.newBuilder(uri(repository, "manifests", tag)).header("Accept", MediaTypes.OCI_INDEX).GET(),
                HttpResponse.BodyHandlers.ofByteArray()));
        if (get.statusCode() == 404) {
            return List.of();
        }
        if (get.statusCode() != 200) {
            throw op.httpError(get, http.anonymous());
        }
        JsonNode index;
        try {
            index = CanonicalJson.parse(get.body());
        } catch (IOException e) {
            throw op.fail("the referrers index at tag " + tag + " is not JSON: " + e.getMessage());
        }
        List<Descriptor> entries = new ArrayList<>();
        for (JsonNode m : index.path("manifests")) {
            Map<String, String> annotations = new LinkedHashMap<>();
            m.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
            try {
                entries.add(Descriptor.of(m.path("mediaType").asText(), m.path("digest").asText(), m.path("size").asLong())
                        .withArtifactType(m.hasNonNull("artifactType") ? m.path("artifactType").asText() : null)
                        .withAnnotations(annotations));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw op.fail("the referrers index at tag " + tag + " has an invalid entry " + m + ": " + e.getMessage());
            }
        }
        return entries;
    }

    /**
     * Pulls a bundle manifest and its blobs into an OCI image layout at {@code layoutDir} (replacing it as a whole),
     * verifying every digest.
     *
     * @param reference a tag, or a digest ({@code sha256:...}); a layout pulled by digest has no tag
     */
    public OciLayout pull(String name, String reference, Path layoutDir) {
        String repository = target.repository(name);
        boolean byDigest = reference != null && reference.startsWith("sha256:");
        Operation op = operation("pull " + repository + (byDigest ? "@" : ":") + reference + " from " + target.registry());
        requireReference(op, reference, byDigest);
        String scope = "repository:" + repository + ":pull";
        Fetched fetched = op.retrying(() -> getManifest(op, scope, repository, reference));
        String digest = Digests.sha256(fetched.bytes());
        if (byDigest && !digest.equals(reference)) {
            throw op.fail("the registry returned a manifest whose content digest is " + digest);
        }
        if (fetched.digestHeader() != null && !fetched.digestHeader().equals(digest)) {
            throw op.fail("the registry says the manifest is " + fetched.digestHeader() + " but its content digest is "
                    + digest);
        }
        if (fetched.contentType() != null && !fetched.contentType().startsWith(MediaTypes.OCI_MANIFEST)) {
            throw op.fail("it is a " + fetched.contentType() + ", not an OCI image manifest ("
                    + MediaTypes.OCI_MANIFEST + ") as homestack bundles are");
        }
        OciManifest manifest;
        try {
            manifest = OciManifest.parse(fetched.bytes(), "manifest " + digest);
        } catch (IllegalArgumentException e) {
            throw op.fail(e.getMessage());
        }
        Descriptor descriptor = Descriptor.of(MediaTypes.OCI_MANIFEST, digest, fetched.bytes().length)
                .withArtifactType(manifest.artifactType());
        String tag = byDigest ? null : reference;
        AtomicDirectory.replace(layoutDir, OciLayout.LAYOUT_FILE, "OCI image layout", temp -> {
            Files.createDirectories(temp.resolve("blobs").resolve("sha256"));
            for (Descriptor blob : manifest.blobs()) {
                Path file = OciLayout.blobPath(temp, blob.digest());
                if (!Files.exists(file)) {
                    op.retrying(() -> download(op, scope, repository, blob, file));
                }
            }
            Files.write(OciLayout.blobPath(temp, digest), fetched.bytes());
            OciLayout.writeIndex(temp, descriptor, tag);
            return null;
        });
        log.info("Pulled " + target.registry() + "/" + repository + "@" + digest + " into " + layoutDir);
        return OciLayout.read(layoutDir);
    }

    /** The digest a tag (or digest) currently points to, as the registry reports it. */
    public String resolve(String name, String reference) {
        String repository = target.repository(name);
        boolean byDigest = reference != null && reference.startsWith("sha256:");
        Operation op = operation("resolve " + repository + (byDigest ? "@" : ":") + reference + " on "
                + target.registry());
        requireReference(op, reference, byDigest);
        return op.retrying(() -> headDigest(op, "repository:" + repository + ":pull", repository, reference));
    }

    /**
     * Whether the repository of {@code name} holds the manifest {@code digest}: a release checks every bundle it pins
     * before it is pushed.
     */
    public boolean hasManifest(String name, String digest) {
        String repository = target.repository(name);
        Operation op = operation("look up " + repository + "@" + digest + " on " + target.registry());
        requireReference(op, digest, true);
        return op.retrying(() -> {
            HttpResponse<byte[]> head = http.send(op, "repository:" + repository + ":pull",
                    HttpRequest.newBuilder(uri(repository, "manifests", digest)).header("Accept", MANIFEST_ACCEPT)
                            .method("HEAD", HttpRequest.BodyPublishers.noBody()),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (head.statusCode() == 404) {
                return false;
            }
            if (head.statusCode() != 200) {
                throw op.httpError(head, http.anonymous());
            }
            return true;
        });
    }

    private Operation operation(String title) {
        return new Operation(title, target.registry(), retry, log);
    }

    private static void requireReference(Operation op, String reference, boolean byDigest) {
        if (byDigest ? !Digests.isSha256(reference) : !References.isTag(reference)) {
            throw op.fail("'" + reference + "' is neither a valid tag nor a sha256 digest");
        }
    }

    private URI uri(String repository, String kind, String reference) {
        return URI.create(target.baseUri() + "/v2/" + repository + "/" + kind + "/" + reference);
    }

    /** @return true if uploaded, false if the registry already had it */
    private boolean pushBlob(Operation op, String scope, String repository, Descriptor blob, Path file)
            throws TransientFailure, IOException {
        HttpResponse<byte[]> head = http.send(op, scope,
                HttpRequest.newBuilder(uri(repository, "blobs", blob.digest())).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.ofByteArray());
        if (head.statusCode() == 200) {
            return false;
        }
        if (head.statusCode() != 404) {
            throw op.httpError(head, http.anonymous());
        }
        HttpResponse<byte[]> start = http.send(op, scope,
                HttpRequest.newBuilder(uri(repository, "blobs", "uploads/")).POST(HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.ofByteArray());
        if (start.statusCode() != 202) {
            throw op.httpError(start, http.anonymous());
        }
        String location = start.headers().firstValue("Location").orElseThrow(() -> op.fail(
                "POST " + start.request().uri().getRawPath() + " answered 202 without a Location header"));
        URI session = start.request().uri().resolve(URI.create(location));
        URI put = URI.create(session + (session.getRawQuery() == null ? "?" : "&") + "digest="
                + URLEncoder.encode(blob.digest(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> done = http.send(op, scope,
                HttpRequest.newBuilder(put).header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofFile(file)),
                HttpResponse.BodyHandlers.ofByteArray());
        if (done.statusCode() != 201) {
            throw op.httpError(done, http.anonymous());
        }
        Optional<String> stored = done.headers().firstValue(DIGEST_HEADER);
        if (stored.isPresent() && !stored.get().equals(blob.digest())) {
            throw op.fail("the registry stored blob " + blob.digest() + " as " + stored.get());
        }
        return true;
    }

    /** @return the registry's Docker-Content-Digest, or null if it sent none */
    private String putManifest(Operation op, String scope, String repository, String tag, byte[] manifest)
            throws TransientFailure {
        return putManifestResponse(op, scope, repository, tag, MediaTypes.OCI_MANIFEST, manifest).headers()
                .firstValue(DIGEST_HEADER).orElse(null);
    }

    private HttpResponse<byte[]> putManifestResponse(Operation op, String scope, String repository, String reference,
                                                     String mediaType, byte[] body) throws TransientFailure {
        HttpResponse<byte[]> response = http.send(op, scope,
                HttpRequest.newBuilder(uri(repository, "manifests", reference)).header("Content-Type", mediaType)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 201) {
            throw op.httpError(response, http.anonymous());
        }
        return response;
    }

    private String headDigest(Operation op, String scope, String repository, String reference) throws TransientFailure {
        HttpResponse<byte[]> head = http.send(op, scope,
                HttpRequest.newBuilder(uri(repository, "manifests", reference)).header("Accept", MANIFEST_ACCEPT)
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.ofByteArray());
        if (head.statusCode() != 200) {
            throw notFoundOr(op, head, reference);
        }
        Optional<String> digest = head.headers().firstValue(DIGEST_HEADER);
        return digest.isPresent() ? digest.get() : Digests.sha256(getManifest(op, scope, repository, reference).bytes());
    }

    private record Fetched(byte[] bytes, String contentType, String digestHeader) {
    }

    private Fetched getManifest(Operation op, String scope, String repository, String reference) throws TransientFailure {
        HttpResponse<byte[]> response = http.send(op, scope,
                HttpRequest.newBuilder(uri(repository, "manifests", reference)).header("Accept", MANIFEST_ACCEPT).GET(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw notFoundOr(op, response, reference);
        }
        return new Fetched(response.body(), response.headers().firstValue("Content-Type").orElse(null),
                response.headers().firstValue(DIGEST_HEADER).orElse(null));
    }

    private BundleException notFoundOr(Operation op, HttpResponse<?> response, String reference) {
        if (response.statusCode() == 404) {
            return op.fail((reference.startsWith("sha256:") ? "manifest " : "tag ") + reference + " not found ("
                    + HttpText.describe(response) + ")");
        }
        return op.httpError(response, http.anonymous());
    }

    private Void download(Operation op, String scope, String repository, Descriptor blob, Path file)
            throws TransientFailure, IOException {
        HttpResponse<InputStream> response = http.sendFollowingRedirects(op, scope,
                uri(repository, "blobs", blob.digest()), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw op.httpError(response, http.anonymous());
        }
        MessageDigest sha256 = Digests.newSha256();
        long size = 0;
        try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (size + n > blob.size()) {
                    // Stop at the declared size: a registry must not fill the disk or hand over other bytes.
                    throw op.fail("blob " + blob.digest() + " from the registry is larger than the " + blob.size()
                            + " bytes its descriptor declares; stopped reading, nothing written");
                }
                sha256.update(buffer, 0, n);
                out.write(buffer, 0, n);
                size += n;
            }
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw new TransientFailure(RegistryHttp.connectionProblem(e), "(while downloading blob " + blob.digest() + ")", e);
        }
        String digest = Digests.format(sha256.digest());
        if (size != blob.size() || !digest.equals(blob.digest())) {
            throw op.fail("blob " + blob.digest() + " from the registry is corrupt: " + size + " bytes with digest "
                    + digest + " (expected " + blob.size() + " bytes)");
        }
        return null;
    }

    /** Settings of a client; everything but the target has a default. */
    public static final class Builder {
        private final RegistryTarget target;
        private Credentials credentials = Credentials.anonymous();
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private BundleLog log = BundleLog.SILENT;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofMinutes(5);

        private Builder(RegistryTarget target) {
            this.target = Objects.requireNonNull(target, "target");
        }

        public Builder credentials(Credentials credentials) {
            this.credentials = credentials == null ? Credentials.anonymous() : credentials;
            return this;
        }

        public Builder retryPolicy(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        public Builder log(BundleLog log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** Per request, including a whole blob transfer. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        public RegistryClient build() {
            return new RegistryClient(this);
        }
    }
}
