def log = new File(basedir, 'build.log').text
assert log.contains("release 'empty': ") && log.contains('empty is not a release: it has no oci-layout') :
        'the message names the directory and what a release has'
assert !log.contains('at io.homestack') : 'no stack trace for bad input'
assert !new File(basedir, 'target/release-diff.md').exists() : 'no report written'
return true
