// Needs Debian's docker-registry and htpasswd (apache2-utils). Outside CI a missing one skips this IT (the invoker
// summary counts it as skipped, with this line in the log); in CI mode it runs and fails. CI mode and the PATH
// lookup are the ones every test uses, on this script's class path through the invoker's addTestClassPath.
import io.homestack.bundle.render.ExternalTool
import io.homestack.testsupport.TestTools

def missing = ['docker-registry', 'htpasswd'].findAll { ExternalTool.onPath(it).isEmpty() }
if (missing.isEmpty() || TestTools.required()) {
    return true
}
println "[homestack] SKIPPED push-with-credentials outside CI: ${missing.join(', ')} not found on the PATH:" +
        " apt-get install docker-registry apache2-utils (or ${TestTools.HOW_TO_INSTALL})"
return false
