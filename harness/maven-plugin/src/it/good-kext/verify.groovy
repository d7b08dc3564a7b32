// The bundle, its zip and the installed artifact exist, and Info.plist was filtered as documented.
def bundle = new File(basedir, 'target/GoodKext.kext/Contents')
assert new File(bundle, 'Info.plist').isFile()
assert new File(bundle, 'MacOS/GoodKext').isFile() : 'the module jar is the executable'
def zip = new File(basedir, 'target/good-kext-1.0.0-SNAPSHOT.kext.zip')
assert zip.isFile()
def names = new java.util.zip.ZipFile(zip).entries().collect { it.name }
assert names.contains('GoodKext.kext/Contents/Info.plist')
assert names.contains('GoodKext.kext/Contents/MacOS/GoodKext')

def plist = new File(basedir, 'target/kext/Info.plist').text
assert plist.contains('<string>com.example.its.good-kext</string>') : 'default bundle identifier'
assert plist.contains('<string>1.0.0d1</string>') : 'a -SNAPSHOT version becomes a d1 pre-release'
assert plist.contains('<string>Good kext &amp; friends</string>') : 'values are XML-escaped'
assert plist.contains('$(PRODUCT_NAME)') && plist.contains('@BUILD_TAG@') : 'Xcode and Ant tokens are kept'

def installed = new File(localRepositoryPath, 'com/example/its/good-kext/1.0.0-SNAPSHOT')
assert installed.listFiles().any { it.name ==~ /good-kext-1\.0\.0-.*\.kext\.zip|good-kext-1\.0\.0-SNAPSHOT\.kext\.zip/ }

def reports = new File(basedir, 'target/kextkit-reports')
['kextkit.txt', 'kextkit.json', 'kextkit.sarif', 'TEST-kextkit.xml'].each { assert new File(reports, it).isFile() : it }
def log = new File(basedir, 'build.log').text
assert log.contains(':check (default-check)') : 'the kext lifecycle ran its check goal'
assert !log.contains('MojoExecutionException') && !log.contains('WARNING] /') : 'no plugin error, no kextutil warning'

// kext:kextlibs, run after install, prints the libraries the bytecode needs (GoodModule uses lck_* from libkern).
assert log.contains(':kextlibs (default-cli)') : 'kext:kextlibs ran'
assert log =~ /\[INFO\]\s+com\.apple\.kpi\.libkern = / : 'kextlibs names com.apple.kpi.libkern'
