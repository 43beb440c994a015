package io.homestack.bundle.oci;

import java.util.List;

/** bcrypt htpasswd lines (the only hash docker-registry accepts), made with apache2-utils' htpasswd. */
final class Htpasswd {

    private Htpasswd() {
    }

    static String bcryptLine(String username, String password) {
        Exec.Result result = Exec.run(List.of(Exec.requireTool("htpasswd", "apache2-utils").toString(),
                "-nbB", username, password));
        return result.stdout().strip() + "\n";
    }
}
