package io.homestack.bundle.hydrate;

import io.homestack.bundle.k8s.KubeObject;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps Helm hooks in hydrate's output. helm-java's {@code template} returns only the release's main manifest: Helm
 * moves every object annotated {@code helm.sh/hook} into the release's hooks, which helm-java drops (it has no
 * {@code --include-hooks}; {@code install --dry-run} reports neither). Argo CD applies hooks too (as sync hooks), so
 * hydrate renders a copy of the chart and the values in which the annotation key is spelled {@link #STAND_IN}: Helm
 * then keeps those objects in the manifest, and {@link #restore} puts the key back in the output. An object is a hook
 * exactly when it carries {@code helm.sh/hook} afterwards, Helm's own test.
 * <p>
 * Not covered: a template that assembles the key at render time (e.g. {@code printf "helm.sh/%s" "hook"}).
 */
final class HelmHooks {

    static final String KEY = "helm.sh/hook";
    /** Same prefix rule: {@code helm.sh/hook-weight} becomes {@code <stand-in>-weight} and back. */
    static final String STAND_IN = "hydrate.homestack.io/helm-hook";

    private static final byte[] KEY_BYTES = KEY.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STAND_IN_BYTES = STAND_IN.getBytes(StandardCharsets.US_ASCII);

    private HelmHooks() {
    }

    /** A chart file or values as Helm should read them: every {@code helm.sh/hook} spelled as the stand-in. */
    static byte[] hide(byte[] content) {
        return replace(content, KEY_BYTES, STAND_IN_BYTES);
    }

    static String hide(String text) {
        return text.replace(KEY, STAND_IN);
    }

    /** Helm's output with the real key again. */
    static String restore(String output) {
        return output == null ? null : output.replace(STAND_IN, KEY);
    }

    /** The hook phases of an object ("post-install"), or null when it is not a hook. */
    static String phases(KubeObject object) {
        return KubeObject.string(KubeObject.path(object.body(), "metadata", "annotations").get(KEY));
    }

    private static byte[] replace(byte[] content, byte[] from, byte[] to) {
        int at = indexOf(content, from, 0);
        if (at < 0) {
            return content;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 64);
        int start = 0;
        while (at >= 0) {
            out.write(content, start, at - start);
            out.write(to, 0, to.length);
            start = at + from.length;
            at = indexOf(content, from, start);
        }
        out.write(content, start, content.length - start);
        return out.toByteArray();
    }

    private static int indexOf(byte[] content, byte[] what, int from) {
        outer:
        for (int i = from; i <= content.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (content[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
