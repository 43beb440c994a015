// A real registry with basic auth; it stops by itself after two minutes if verify.groovy never runs.
def dir = new File(basedir, 'target/registry')
dir.mkdirs()
def htpasswd = ['htpasswd', '-Bbn', 'homestack', 's3cret'].execute()
assert htpasswd.waitFor() == 0 : 'htpasswd (apache2-utils) is needed: ' + htpasswd.err.text
new File(dir, 'htpasswd').text = htpasswd.text
new File(dir, 'config.yml').text = """version: 0.1
storage:
  filesystem:
    rootdirectory: ${dir}/data
http:
  addr: 127.0.0.1:5179
auth:
  htpasswd:
    realm: homestack-it
    path: ${dir}/htpasswd
"""
def registry = new ProcessBuilder('timeout', '120', 'docker-registry', 'serve', "${dir}/config.yml".toString())
        .redirectErrorStream(true).redirectOutput(new File(dir, 'registry.log')).start()
new File(dir, 'pid').text = registry.pid().toString()
for (int i = 0; i < 100; i++) {
    try {
        def code = new URL('http://127.0.0.1:5179/v2/').openConnection().responseCode
        if (code == 401) {
            return true
        }
    } catch (IOException ignored) {
    }
    Thread.sleep(100)
}
throw new AssertionError('docker-registry did not start: ' + new File(dir, 'registry.log').text)
