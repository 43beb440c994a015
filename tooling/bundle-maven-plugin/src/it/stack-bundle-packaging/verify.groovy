// The packaging ran every step: render, validate, package as OCI, install the layer as the main artifact.
def target = new File(basedir, 'target')
assert new File(target, 'bundle/.homestack/bundle.json').text.contains('"name" : "greeter"')
assert new File(target, 'bundle/k3s/configmap-greeting.yaml').text.contains('hello from k3s')
assert new File(target, 'bundle/k3d/configmap-greeting.yaml').text.contains('message: hello')
def index = new groovy.json.JsonSlurper().parse(new File(target, 'oci/index.json'))
assert index.manifests.size() == 1
def manifestDigest = index.manifests[0].digest
def manifest = new groovy.json.JsonSlurper().parse(new File(target, 'oci/blobs/sha256/' + manifestDigest.substring(7)))
assert manifest.artifactType == 'application/vnd.homestack.bundle.v1'
assert manifest.layers.size() == 1
// Content only: nothing from Git or the clock (docs/decisions.md, "Artifacts carry no Git revision").
assert manifest.annotations.keySet() as List == ['org.opencontainers.image.description',
        'org.opencontainers.image.title', 'org.opencontainers.image.version'] : manifest.annotations
assert manifest.layers[0].mediaType == 'application/vnd.oci.image.layer.v1.tar+gzip'
def installed = new File(localRepositoryPath, 'io/homestack/bundles/greeter/1.0.0/greeter-1.0.0.tar.gz')
assert installed.isFile() : "main artifact not installed as tar.gz: $installed"
assert new File(localRepositoryPath, 'io/homestack/bundles/greeter/1.0.0/greeter-1.0.0-oci-manifest.json').isFile()
def log = new File(basedir, 'build.log').text
assert log.contains('[greeter] valid:')
return true
