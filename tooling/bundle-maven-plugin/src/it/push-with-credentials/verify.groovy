// The push authenticated with the settings.xml server's credentials; anonymous access is refused.
def dir = new File(basedir, 'target/registry')
try {
    def log = new File(basedir, 'build.log').text
    assert log.contains('[credentials] pushed 127.0.0.1:5179/homestack/credentials@sha256:')
    def anonymous = new URL('http://127.0.0.1:5179/v2/homestack/credentials/tags/list').openConnection()
    assert anonymous.responseCode == 401
    def authorized = new URL('http://127.0.0.1:5179/v2/homestack/credentials/tags/list').openConnection()
    authorized.setRequestProperty('Authorization', 'Basic ' + 'homestack:s3cret'.bytes.encodeBase64().toString())
    assert authorized.inputStream.text.contains('"1.0.0"')
} finally {
    ['kill', new File(dir, 'pid').text.trim()].execute().waitFor()
}
return true
