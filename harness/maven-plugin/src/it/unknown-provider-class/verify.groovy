// A personality whose provider class no kernel, family or kext class can be (here: a USB class, with
// no USB family declared) fails verify with check PER-PROVIDER at the Info.plist line of the class.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('PER-PROVIDER')
assert log.contains("names IOProviderClass 'IOUSBHostDevice'")
int line = new File(basedir, 'target/kext/Info.plist').readLines().findIndexOf { it.contains('<string>IOUSBHostDevice</string>') } + 1
assert line > 0
assert log.contains('Info.plist:' + line) : 'the finding does not point at Info.plist line ' + line
assert !log.contains('\tat org.kextkit') && !log.contains('\tat org.apache') : 'no stack trace'
