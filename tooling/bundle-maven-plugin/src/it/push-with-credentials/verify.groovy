// The push authenticated with the settings.xml server's credentials; anonymous access is refused.
def dir = new File(basedir, 'target/registry')
try {
    def address = '127.0.0.1:' + new File(dir, 'port').text.trim()
    def log = new File(basedir, 'build.log').text
    assert log.contains("[credentials] pushed ${address}/homestack/credentials@sha256:")
    def tags = new URL("http://${address}/v2/homestack/credentials/tags/list")
    assert tags.openConnection().responseCode == 401
    def authorized = tags.openConnection()
    authorized.setRequestProperty('Authorization', 'Basic ' + 'homestack:s3cret'.bytes.encodeBase64().toString())
    assert authorized.inputStream.text.contains('"1.0.0"')
} finally {
    ['kill', new File(dir, 'pid').text.trim()].execute().waitFor()
}
return true
