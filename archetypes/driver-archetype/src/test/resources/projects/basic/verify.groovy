// The generated project passed `mvn verify`: check what it built, then break it as a driver author
// might (leak the state lock in stop) and check that `mvn verify` fails with the finding at that line.
File project = new File(basedir, "project/acme-driver")
File bundle = new File(project, "target/AcmeDriver.kext")
String plist = new File(bundle, "Contents/Info.plist").text
assert plist.contains("<string>com.example.its.driver.AcmeDriver</string>")
assert plist.contains("<string>com_example_its_acme_AcmeDriver</string>")
assert plist.contains("<string>0x4b4b1234</string>")
assert new File(bundle, "Contents/MacOS/AcmeDriver").isFile()
assert new File(project, "target/acme-driver-1.0.0-SNAPSHOT.kext.zip").isFile()
for (name in ["AcmeDriverTest", "AcmeDriverUnitTest"]) {
    String report = new File(project, "target/surefire-reports/com.example.its.acme." + name + ".txt").text
    assert report.contains("Failures: 0, Errors: 0, Skipped: 0") : report
}

File driver = new File(project, "src/main/java/com/example/its/acme/AcmeDriver.java")
List<String> lines = driver.readLines("UTF-8")
int stop = lines.findIndexOf { it.contains("public void stop(IOService provider)") }
int lock = lines.findIndexOf(stop) { it.contains("IOLockLock(stateLock);") }
int unlock = lines.findIndexOf(stop) { it.contains("IOLockUnlock(stateLock);") }
assert stop > 0 && lock > stop && unlock > lock
lines.remove(unlock)
driver.write(lines.join("\n") + "\n", "UTF-8")

// the same repository and settings the first build used; everything it needs is there now
File repository = new File(basedir, "../../../it-repo").canonicalFile
File settings = new File(basedir, "../../../it-settings.xml").canonicalFile
String mvn = new File(System.getProperty("maven.home"), "bin/mvn").path
Process build = new ProcessBuilder(mvn, "-B", "-o", "-s", settings.path, "-Dmaven.repo.local=" + repository.path, "verify")
        .directory(project).redirectErrorStream(true).start()
String log = build.inputStream.getText("UTF-8")
int status = build.waitFor()
new File(project, "broken-build.log").text = log
assert status != 0 : "mvn verify passed with a lock leaked in stop; see broken-build.log"
String site = "AcmeDriver.java:" + (lock + 1)
// LCK-HELD, at the line in stop that took the lock: stop returned to the kernel still holding it
assert log =~ /LCK-HELD[^\n]*\n(?:[^\n]*\n){0,2}[^\n]*at [^\n]*\.stop\(AcmeDriver\.java:${lock + 1}\)/ :
        "no LCK-HELD at " + site + "; see broken-build.log"
return true
