def log = new File(basedir, 'build.log').text
assert log.contains('homestack/unreachable:1.0.0') : 'the message names the repository and tag'
assert log.contains('127.0.0.1:9') : 'the message names the registry'
assert log.contains('after 2 attempts') : 'the push was retried as configured'
assert !log.contains('at io.homestack') : 'no stack trace for an unreachable registry'
// The build output is intact: nothing was lost by the failed push.
assert new File(basedir, 'target/oci/index.json').isFile()
return true
