package io.homestack.bundle.hydrate;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.ShowCommand;
import com.marcnuri.helm.TemplateCommand;
import com.marcnuri.helm.jni.NativeLibrary;
import io.homestack.bundle.BundleException;

import java.net.URI;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The only class that refers to helm-java. Its first call loads the native Helm library (~100 MB, unpacked into
 * {@code java.io.tmpdir} once per JVM). Calls are serialised: the Go library is shared by every thread of the JVM
 * (parallel Maven builds) and Helm's actions were written for a CLI.
 */
final class HelmJava {

    private static final Object LOCK = new Object();

    private HelmJava() {
    }

    /**
     * Checks that a native library for this platform is on the class path before Helm is touched, so helm-java never
     * falls back to downloading one from Maven Central at run time.
     */
    static HelmJava load() {
        ClassLoader loader = HelmJava.class.getClassLoader();
        if (NativeLibrary.serviceProviderLibrary(loader) == null) {
            throw new BundleException("hydrate: helm-java has no native library for " + System.getProperty("os.name")
                    + "/" + System.getProperty("os.arch") + " on the class path (com.marcnuri.helm-java:linux-amd64,"
                    + " linux-arm64, darwin-amd64, darwin-arm64 or windows-amd64; helm-java's POM selects it by OS)");
        }
        return new HelmJava();
    }

    /** Helm's own version, e.g. v3.21.0; the first call loads the native library. */
    String version() {
        return call(() -> Helm.version().call());
    }

    /**
     * {@code helm template}. {@code version} and {@code repositoryConfig} are only for charts fetched from a
     * repository; a local chart is rendered as it is.
     */
    String template(String chart, String version, String release, String namespace, String kubeVersion,
                    Path valuesFile, Path repositoryConfig, boolean plainHttp) {
        return call(() -> {
            TemplateCommand template = Helm.template(chart).withName(release).withNamespace(namespace)
                    .withKubeVersion(kubeVersion).withValuesFile(valuesFile);
            if (version != null) {
                template.withVersion(version);
            }
            if (repositoryConfig != null) {
                template.withRepositoryConfig(repositoryConfig);
            }
            if (plainHttp) {
                template.plainHttp();
            }
            return template.call();
        });
    }

    /** {@code helm show chart}: the Chart.yaml of a chart reference (an OCI reference with its version). */
    String showChart(String chart, String version, boolean plainHttp) {
        return call(() -> {
            ShowCommand.ShowSubcommand show = Helm.show(chart).chart().withVersion(version);
            return (plainHttp ? show.plainHttp() : show).call();
        });
    }

    /** {@code helm package}: the chart directory as {@code <destination>/<name>-<version>.tgz}, honouring .helmignore. */
    void packageChart(Path chartDirectory, Path destination) {
        call(() -> new Helm(chartDirectory).packageIt().withDestination(destination).call());
    }

    /** {@code helm repo add} into a repository config of our own (never the user's). */
    void addRepository(Path repositoryConfig, String name, URI url) {
        call(() -> Helm.repo().add().withRepositoryConfig(repositoryConfig).withName(name).withUrl(url).call());
    }

    private static <T> T call(Supplier<T> helm) {
        synchronized (LOCK) {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            // helm-java finds its native library through the context class loader; in Maven that must be ours.
            thread.setContextClassLoader(HelmJava.class.getClassLoader());
            try {
                return helm.get();
            } catch (IllegalStateException e) {
                throw new HelmFailure(clean(e.getMessage()));
            } catch (LinkageError e) {
                throw new BundleException("hydrate: cannot load helm-java's native library (is java.io.tmpdir "
                        + System.getProperty("java.io.tmpdir") + " writable and not mounted noexec?): " + e, e);
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
    }

    /** Helm's CLI hints name flags our users cannot pass. */
    private static String clean(String message) {
        return message == null ? "(no message)"
                : message.replace("Use --debug flag to render out invalid YAML", "").strip();
    }

    /** Helm reported an error; the message is Helm's, for the caller to put in context. */
    static final class HelmFailure extends RuntimeException {
        HelmFailure(String message) {
            super(message);
        }
    }
}
