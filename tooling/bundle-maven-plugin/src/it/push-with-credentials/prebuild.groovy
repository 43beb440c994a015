// A real registry with basic auth on a free port; it stops by itself after two minutes if verify.groovy never runs.
// The port reaches the build through .mvn/maven.config (read by mvn at start), and verify.groovy through target/registry/port.
def dir = new File(basedir, 'target/registry')
dir.mkdirs()
def htpasswd = ['htpasswd', '-Bbn', 'homestack', 's3cret'].execute()
assert htpasswd.waitFor() == 0 : 'htpasswd (apache2-utils) is needed: ' + htpasswd.err.text
new File(dir, 'htpasswd').text = htpasswd.text
int port = io.homestack.bundle.net.FreePorts.next()
new File(dir, 'config.yml').text = """version: 0.1
storage:
  filesystem:
    rootdirectory: ${dir}/data
http:
  addr: 127.0.0.1:${port}
auth:
  htpasswd:
    realm: homestack-it
    path: ${dir}/htpasswd
"""
def log = new File(dir, 'registry.log')
def registry = new ProcessBuilder('timeout', '120', 'docker-registry', 'serve', "${dir}/config.yml".toString())
        .redirectErrorStream(true).redirectOutput(log).start()
new File(dir, 'pid').text = registry.pid().toString()
new File(dir, 'port').text = port.toString()
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-Dhomestack.registry=127.0.0.1:${port}\n"
for (int i = 0; i < 100; i++) {
    // Ours only: the process must be alive and say it listens on this port, whatever else answers there.
    if (!registry.isAlive()) {
        throw new AssertionError("docker-registry exited (${registry.exitValue()}): " + log.text)
    }
    try {
        def code = new URL("http://127.0.0.1:${port}/v2/").openConnection().responseCode
        if (code == 401 && log.text.contains("listening on 127.0.0.1:${port}")) {
            return true
        }
    } catch (IOException ignored) {
    }
    Thread.sleep(100)
}
throw new AssertionError('docker-registry did not start: ' + log.text)
