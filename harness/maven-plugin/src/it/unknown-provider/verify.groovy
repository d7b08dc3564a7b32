// A personality for a provider class whose family no kext provides fails verify with kextutil's
// dependency diagnostics, before any kernel runs the kext.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains("UnknownProvider.kext - dependency 'com.apple.iokit.IOUSBHostFamily' not found.")
assert log.contains('Dependency Resolution Failures: ')
assert log.contains('No kexts found for these libraries: ')
assert !log.contains('\tat org.kextkit') && !log.contains('\tat org.apache') : 'no stack trace'
