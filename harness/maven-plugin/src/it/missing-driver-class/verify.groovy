// A personality whose IOClass names a class the kext does not have (here none: the kext's only class
// is its module) fails verify with check PER-CLASS at the Info.plist line of the IOClass value.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('PER-CLASS')
assert log.contains("names IOClass 'com_example_its_GoodDriver', but no class of the kext")
int line = new File(basedir, 'target/kext/Info.plist').readLines().findIndexOf { it.contains('<string>com_example_its_GoodDriver</string>') } + 1
assert line > 0
assert log.contains('Info.plist:' + line) : 'the finding does not point at Info.plist line ' + line
assert !log.contains('\tat org.kextkit') && !log.contains('\tat org.apache') : 'no stack trace'
