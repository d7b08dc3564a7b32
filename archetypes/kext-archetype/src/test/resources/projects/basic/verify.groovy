// The generated project passed `mvn verify`: check what it built.
File project = new File(basedir, "project/hello-sysctl")
File bundle = new File(project, "target/HelloSysctl.kext")
assert new File(bundle, "Contents/Info.plist").text.contains("<string>com.example.its.HelloSysctl</string>")
assert new File(bundle, "Contents/Info.plist").text.contains("<string>1.0.0d1</string>")
assert new File(bundle, "Contents/MacOS/HelloSysctl").isFile()
assert new File(project, "target/hello-sysctl-1.0.0-SNAPSHOT.kext.zip").isFile()
assert new File(project, "target/kextkit-reports/kextkit.sarif").isFile()
assert new File(project, ".gitignore").isFile() : ".gitignore was not generated"
String report = new File(project, "target/surefire-reports/com.example.its.hello.HelloSysctlTest.txt").text
assert report.contains("Tests run: 3, Failures: 0, Errors: 0, Skipped: 0") : report
return true
