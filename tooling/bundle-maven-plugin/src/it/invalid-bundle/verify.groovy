// A policy violation fails the build with bundle, file, object and rule, and leaves no artifact behind.
def log = new File(basedir, 'build.log').text
assert log.contains("[broken] manifests/base/secret.yaml (k3d): Secret broken/password: rule 'no-plaintext-secret': a plaintext Secret must not be committed")
// The rule allows no opt-out: the annotation does not silence it and is reported itself.
assert log.contains("[broken] manifests/base/secret.yaml (k3d): Secret broken/password: rule 'no-plaintext-secret': opts out with annotation 'policy.homestack.io/skip-no-plaintext-secret', but this rule cannot be opted out of")
assert !log.contains('hunter2') : 'the Secret\'s value never appears in the output'
assert !new File(basedir, 'target/bundle').exists()
assert !new File(basedir, 'target/oci').exists()
assert !log.contains('at io.homestack') : 'no stack trace for a policy violation'
return true
