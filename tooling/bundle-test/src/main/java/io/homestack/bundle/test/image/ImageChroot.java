package io.homestack.bundle.test.image;

import io.homestack.testsupport.TestTools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Java component's image run without a container engine, as a Pod of its Deployment runs it: the layers of its OCI
 * layout unpacked into a root filesystem ({@link ImageRootfs}), the entrypoint started there in a chroot as the image's
 * user, on a read-only root with /proc mounted and /tmp a tmpfs, with only the image's environment plus what the test
 * gives (as the Deployment's {@code env}). Files the Pod would mount (a ConfigMap, a Secret) are written into the root
 * before the start. A private mount namespace (unshare) holds the mounts, so nothing outlives the process. Needs root
 * with CAP_SYS_ADMIN; {@link #requireTools()} says so as a counted skip (a failure in CI).
 */
public final class ImageChroot implements AutoCloseable {

    private final ImageRootfs image;
    private Process process;

    private ImageChroot(ImageRootfs image) {
        this.image = image;
    }

    /** Skips (fails in CI) unless this process may chroot and make mount namespaces. */
    public static void requireTools() throws IOException, InterruptedException {
        if (!"root".equals(ProcessHandle.current().info().user().orElse(""))) {
            throw TestTools.missing("running an image in a chroot needs root");
        }
        for (String tool : List.of("unshare", "chroot", "mount", "tar", "env")) {
            if (Stream.of(System.getenv("PATH").split(":")).noneMatch(d -> Files.isExecutable(Path.of(d, tool)))) {
                throw TestTools.missing(tool + " not found on the PATH (util-linux, coreutils, tar)");
            }
        }
        // Root in an unprivileged container may not make mount namespaces (seccomp, no CAP_SYS_ADMIN).
        Process p = new ProcessBuilder("unshare", "--mount", "true").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw TestTools.missing("`unshare --mount true` fails here: running an image in a chroot needs root with"
                    + " CAP_SYS_ADMIN (a machine, or a privileged container)");
        }
    }

    /**
     * Unpacks the layout into a new directory beside it (not under JUnit's @TempDir, whose cleanup warns about each of
     * the JRE's absolute links).
     */
    public static ImageChroot unpack(Path layout) throws IOException, InterruptedException {
        requireTools();
        Path root = Files.createTempDirectory(layout.toAbsolutePath().getParent(), "rootfs-");
        try {
            return new ImageChroot(ImageRootfs.unpack(layout, root));
        } catch (IOException | RuntimeException e) {
            remove(root);
            throw e;
        }
    }

    public ImageRootfs image() {
        return image;
    }

    /** Writes a file the Pod would have mounted, at its absolute path inside the image. */
    public ImageChroot mount(String absolutePath, String content) throws IOException {
        Path file = image.root().resolve(absolutePath.replaceFirst("^/+", ""));
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return this;
    }

    /** Starts the entrypoint with the image's environment plus {@code env}; output (both streams) goes to {@code log}. */
    public Process start(Map<String, String> env, Path log) throws IOException {
        Path root = image.root();
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--", "sh", "-c",
                "set -e; r=$1; shift; mount --bind \"$r\" \"$r\"; mount -o remount,bind,ro \"$r\";"
                        + " mount -t proc proc \"$r/proc\"; mount -t tmpfs -o size=16m,mode=1777 tmpfs \"$r/tmp\";"
                        + " exec \"$@\"", "sh", root.toString(), "env", "-i"));
        command.addAll(image.env());
        env.forEach((name, value) -> command.add(name + "=" + value));
        command.addAll(List.of("chroot", "--userspec=" + image.user(), root.toString()));
        command.addAll(image.entrypoint());
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return process;
    }

    /** Kills the process (if any) and removes the root filesystem. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        remove(image.root());
    }

    private static void remove(Path root) throws IOException, InterruptedException {
        // --one-file-system: a mount that outlived its namespace is never followed into.
        new ProcessBuilder("rm", "-rf", "--one-file-system", root.toString()).inheritIO().start().waitFor();
    }
}
