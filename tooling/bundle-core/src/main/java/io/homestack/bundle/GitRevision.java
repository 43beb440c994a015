package io.homestack.bundle;

import io.homestack.bundle.render.ExternalTool;

import java.nio.file.Path;
import java.util.List;

/**
 * The last commit that changed a bundle's sources (its folder, less its tests in {@code src/}). Used as the artifact's
 * revision annotation: a bundle's digest must change only when its content does, so the annotation follows what goes
 * into the artifact, not the repository's HEAD.
 */
public final class GitRevision {

    private GitRevision() {
    }

    /** @return the commit id, or null when the directory is not in a Git work tree or git is not installed */
    public static String lastChange(Path dir) {
        if (ExternalTool.onPath("git").isEmpty()) {
            return null;
        }
        ExternalTool.Result result = ExternalTool.run(List.of("git", "log", "-1", "--format=%H", "--", ".", ":(exclude)src"), dir, null, 30);
        String id = result.stdout().strip();
        return result.exitCode() == 0 && id.matches("[0-9a-f]{40}") ? id : null;
    }
}
