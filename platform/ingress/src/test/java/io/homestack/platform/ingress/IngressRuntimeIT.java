package io.homestack.platform.ingress;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.ClusterKind;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway at work, on a cluster where the ingress and cert-manager bundles are deployed and pods run (skipped on
 * envtest, and on the kit's bare k3s container where nothing deploys the stack): the wildcard certificate is issued by
 * the homestack CA, and the gateway serves {@code https://<app>.homestack.localhost:8443} with it.
 *
 * <p>The HTTPS check connects from this JVM to the k3d load balancer (host port 8443 -> the gateway's 443), sending the
 * app host as SNI; it trusts nothing but the CA read from the Secret {@code cert-manager/homestack-ca}, so a handshake
 * that verifies proves the served chain ends at that CA. It runs on kubeconfig clusters; elsewhere set where the
 * gateway is: {@code -Dhomestack.ingress.address} (default localhost), {@code -Dhomestack.ingress.port} (8443),
 * {@code -Dhomestack.ingress.host} (any name under the wildcard; default ingress-check.homestack.localhost).
 */
@HomestackCluster
@RequiresCapability(Capability.RUNNING_PODS)
class IngressRuntimeIT {

    private static final String ADDRESS = System.getProperty("homestack.ingress.address", "localhost");
    private static final int PORT = Integer.getInteger("homestack.ingress.port", 8443);
    private static final String HOST = System.getProperty("homestack.ingress.host", "ingress-check.homestack.localhost");
    /** cert-manager issues within seconds once running; a fresh stack may still be syncing. */
    private static final Duration ISSUING = Duration.ofMinutes(3);
    /** How long the gateway may take to serve a certificate (it loads the Secret through istiod). */
    private static final Duration SERVING = Duration.ofSeconds(60);

    private TestCluster cluster;

    @BeforeEach
    void theIngressBundleIsDeployed(TestInfo test) {
        if (wildcardCertificate() == null && cluster.kind() == ClusterKind.K3S) {
            String reason = "needs the ingress and cert-manager bundles deployed (Certificate istio-ingress/homestack-wildcard);"
                    + " the kit's k3s container is a bare k3s without Argo CD (run with -Dhomestack.cluster=kubeconfig on a"
                    + " cluster with the release synced by Argo CD)";
            System.out.println("[homestack] SKIPPED " + test.getDisplayName() + " on k3s: " + reason);
            Assumptions.abort(reason);
        }
    }

    @Test
    void theWildcardCertificateIsIssuedByTheHomestackCa() throws GeneralSecurityException {
        assertThatCluster(cluster).within(ISSUING)
                .hasCertificateReady("cert-manager", "homestack-ca")
                .hasCertificateReady("istio-ingress", "homestack-wildcard");

        String dnsName = KubeObject.string(KubeObject.list(KubeObject.path(wildcardCertificate().getAdditionalProperties(),
                "spec").get("dnsNames")).get(0));
        X509Certificate issued = certificate(secretData("istio-ingress", "homestack-wildcard-tls", "tls.crt"));
        X509Certificate ca = homestackCa();
        assertThat(dnsNames(issued)).contains(dnsName);
        assertThat(issued.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        issued.verify(ca.getPublicKey()); // throws unless the CA's key signed it
    }

    @Test
    void theGatewayServesAppHostsWithACertificateOfTheHomestackCa() throws GeneralSecurityException {
        boolean configured = System.getProperty("homestack.ingress.address") != null;
        Assumptions.assumeTrue(cluster.kind() == ClusterKind.KUBECONFIG || configured, "the gateway is reached through the"
                + " k3d load balancer on localhost:8443, which only the kubeconfig (k3d) cluster has; set"
                + " -Dhomestack.ingress.address/port/host to point elsewhere");
        assertThatCluster(cluster).within(ISSUING).hasCertificateReady("istio-ingress", "homestack-wildcard");
        X509Certificate ca = homestackCa();

        Served served = serve(ca);

        X509Certificate leaf = served.chain().get(0);
        X509Certificate last = served.chain().get(served.chain().size() - 1);
        assertThat(dnsNames(leaf)).as("the wildcard of %s", HOST).contains("*" + HOST.substring(HOST.indexOf('.')));
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(last.equals(ca) || signedBy(last, ca)).as("the served chain ends at homestack-ca: %s",
                served.chain().stream().map(c -> c.getSubjectX500Principal().getName()).toList()).isTrue();
        assertThat(served.statusLine()).as("an HTTP answer over that TLS (any status: the check is the certificate)")
                .startsWith("HTTP/1.1 ");
    }

    /** What the gateway served: the certificate chain and the first line of its HTTP answer. */
    private record Served(List<X509Certificate> chain, String statusLine) {
    }

    /** Retries while the gateway is not serving yet (a new Secret takes istiod a moment to push). */
    private static Served serve(X509Certificate ca) throws GeneralSecurityException {
        SSLContext tls = trusting(ca);
        long deadline = System.nanoTime() + SERVING.toNanos();
        Exception last;
        do {
            try {
                return fetch(tls);
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no HTTPS answer trusted by homestack-ca from " + ADDRESS + ":" + PORT + " with SNI "
                + HOST + " within " + SERVING.toSeconds() + " s: " + last, last);
    }

    /** TLS to ADDRESS:PORT with SNI and host name verification for HOST, then GET / . */
    private static Served fetch(SSLContext tls) throws IOException {
        try (Socket tcp = new Socket()) {
            tcp.connect(new InetSocketAddress(ADDRESS, PORT), 5000);
            tcp.setSoTimeout(10_000);
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(tcp, HOST, PORT, true)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(HOST)));
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                List<X509Certificate> chain = Arrays.stream(socket.getSession().getPeerCertificates())
                        .map(X509Certificate.class::cast).toList();
                OutputStream out = socket.getOutputStream();
                out.write(("GET / HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                return new Served(chain, Objects.toString(status, ""));
            }
        }
    }

    private static SSLContext trusting(X509Certificate ca) throws GeneralSecurityException {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("homestack-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private GenericKubernetesResource wildcardCertificate() {
        try {
            return cluster.client().genericKubernetesResources("cert-manager.io/v1", "Certificate")
                    .inNamespace("istio-ingress").withName("homestack-wildcard").get();
        } catch (KubernetesClientException e) {
            return null; // no cert-manager CRDs
        }
    }

    /** The root CA cert-manager keeps in cert-manager/homestack-ca (platform/cert-manager). */
    private X509Certificate homestackCa() throws CertificateException {
        return certificate(secretData("cert-manager", "homestack-ca", "ca.crt"));
    }

    private byte[] secretData(String namespace, String name, String key) {
        Secret secret = cluster.client().secrets().inNamespace(namespace).withName(name).get();
        assertThat(secret).as("Secret %s/%s", namespace, name).isNotNull();
        assertThat(secret.getData()).as("Secret %s/%s", namespace, name).containsKey(key);
        return Base64.getDecoder().decode(secret.getData().get(key));
    }

    /** The first certificate of a PEM bundle (tls.crt: the leaf first). */
    private static X509Certificate certificate(byte[] pem) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }

    private static List<String> dnsNames(X509Certificate certificate) throws CertificateParsingException {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        return names == null ? List.of() : names.stream().filter(n -> Integer.valueOf(2).equals(n.get(0)))
                .map(n -> n.get(1).toString()).toList();
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate ca) {
        try {
            certificate.verify(ca.getPublicKey());
            return certificate.getIssuerX500Principal().equals(ca.getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
