package io.homestack.testsupport;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The user's home directory as the project's shell scripts see it: {@code $HOME}, so that the tests look where
 * build.sh and install-test-deps.sh put things, and kubectl's ~/.kube/config is the one kubectl reads. Java's
 * {@code user.home} comes from the password database instead, and the two differ where a runner sets HOME: GitHub's
 * container jobs run as root with HOME=/github/home (actions/runner#1146), so ~/.kubeapitest was /github/home's for the
 * scripts and /root's for the tests. {@code user.home} serves only where HOME is unset.
 */
public final class UserHome {

    private UserHome() {
    }

    /** {@code $HOME}, else {@code user.home}. */
    public static Path get() {
        return of(System::getenv, System::getProperty)
                .orElseThrow(() -> new IllegalStateException("neither HOME nor user.home is set"));
    }

    /** {@code HOME} from {@code environment}, else {@code user.home} from {@code systemProperties}; blank is unset. */
    public static Optional<Path> of(UnaryOperator<String> environment, UnaryOperator<String> systemProperties) {
        return Optional.ofNullable(environment.apply("HOME")).filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(systemProperties.apply("user.home")).filter(s -> !s.isBlank()))
                .map(Path::of);
    }
}
