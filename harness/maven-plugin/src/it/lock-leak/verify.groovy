// The lock taken in stop and never released fails verify, with the finding at the line that took it.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('LCK-HELD') : 'the lock-held check reports the leak'
assert log.contains('LeakyModule.java:26') : 'the finding names the source line of lck_mtx_lock in stop'
assert log.contains('kextkit checks failed for LockLeak.kext')
assert !log.contains('\tat org.kextkit') && !log.contains('\tat org.apache') : 'no stack trace'
assert new File(basedir, 'target/kextkit-reports/kextkit.sarif').text.contains('LeakyModule.java')
