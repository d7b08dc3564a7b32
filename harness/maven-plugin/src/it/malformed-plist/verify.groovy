// A malformed Info.plist stops the build in process-resources with the reader's message, naming the
// filtered file and the line, and no plugin stack trace.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains(':info-plist (default-info-plist)')
assert log.contains('target/kext/Info.plist, line 10, column 3: the XML is not well-formed') : 'names the file and the line'
assert !log.contains('(default-compile)') : 'fails before compiling'
assert !log.contains('\tat org.kextkit') && !log.contains('\tat org.apache') : 'no stack trace'
