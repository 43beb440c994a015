// A policy violation fails the build with bundle, file, object and rule, and leaves no artifact behind.
def log = new File(basedir, 'build.log').text
assert log.contains("[broken] manifests/base/secret.yaml (k3d): Secret broken/password: rule 'no-plaintext-secret'")
assert !new File(basedir, 'target/bundle').exists()
assert !new File(basedir, 'target/oci').exists()
assert !log.contains('at io.homestack') : 'no stack trace for a policy violation'
return true
