package org.kextkit.harness.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.version.VersionGrammar;

class ConfigLoaderTest {
    @TempDir
    Path tmp;

    private Path home;
    private Path cwd;
    private Properties props;

    @BeforeEach
    void fakeUserAndMachine() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        cwd = Files.createDirectories(tmp.resolve("work"));
        props = new Properties();
        props.setProperty("user.home", home.toString());
        props.setProperty("user.name", "alice");
        props.setProperty("java.io.tmpdir", "/var/tmp/");
        props.setProperty("unrelated.property", "ignored");
    }

    private ConfigLoader loader(Map<String, String> env) {
        return new ConfigLoader().environment(env).systemProperties(props).workingDirectory(cwd);
    }

    private ConfigLoader loader() {
        return loader(Map.of());
    }

    private Path userFile(String text) throws IOException {
        Path dir = Files.createDirectories(home.resolve(".kextkit"));
        return Files.writeString(dir.resolve("kextkit.properties"), text, StandardCharsets.UTF_8);
    }

    private ConfigException failure(ConfigLoader loader) {
        return assertThrows(ConfigException.class, loader::load);
    }

    @Test
    void builtInDefaultsApplyWhenNothingElseIsSet() {
        KextkitConfig config = loader().load();

        assertEquals("25.1.0", config.kernelVersion().source());
        assertEquals(Arch.X86_64, config.arch());
        assertEquals(VersionGrammar.MODERN, config.versionGrammar());
        assertEquals(List.of(), config.extensions());
        assertEquals(Path.of("/var/tmp/kextkit-alice/kernel.sock"), config.socket());
        assertTrue(config.bootArgs().isEmpty());
        assertEquals(List.of(), config.daemonJavaOptions());
        assertEquals(Duration.ofSeconds(30), config.daemonBootTimeout());
        for (ConfigKey key : ConfigKey.values()) {
            assertEquals(ConfigOrigin.DEFAULTS, config.origin(key), key.key());
        }
    }

    @Test
    void commandLineBeatsSystemPropertiesBeatsUserFileBeatsDefaults() throws IOException {
        Path file = userFile("""
                kextkit.kernel.version = 24.6.0
                kextkit.version.grammar = legacy
                kextkit.arch = arm64
                kextkit.boot-args = -v
                """);
        props.setProperty("kextkit.arch", "x86_64");
        props.setProperty("kextkit.boot-args", "-x");

        KextkitConfig config = loader().commandLine(List.of("kextkit.boot-args=debug=0x144")).load();

        assertEquals("debug=0x144", config.bootArgs().toString());
        assertEquals(ConfigOrigin.COMMAND_LINE, config.origin(ConfigKey.BOOT_ARGS));
        assertEquals(Arch.X86_64, config.arch());
        assertEquals(ConfigOrigin.SYSTEM_PROPERTY, config.origin(ConfigKey.ARCH));
        assertEquals("24.6.0", config.kernelVersion().source());
        assertEquals(VersionGrammar.LEGACY, config.versionGrammar());
        assertEquals(VersionGrammar.LEGACY, config.kernelVersion().grammar());
        assertEquals(ConfigOrigin.userFile(file), config.origin(ConfigKey.KERNEL_VERSION));
        assertEquals(ConfigOrigin.DEFAULTS, config.origin(ConfigKey.DAEMON_BOOT_TIMEOUT));
    }

    @Test
    void laterSetArgumentsWinAndTheKextkitPrefixIsOptional() {
        KextkitConfig config = loader().commandLine(List.of("arch=arm64", "kextkit.arch=x86_64", "arch=arm64")).load();

        assertEquals(Arch.ARM64, config.arch());
    }

    @Test
    void kextkitConfigNamesTheUserFile() throws IOException {
        userFile("kextkit.arch = x86_64\n");
        Path other = Files.writeString(tmp.resolve("other.properties"), "kextkit.arch = arm64\n");

        KextkitConfig config = loader(Map.of("KEXTKIT_CONFIG", other.toString())).load();

        assertEquals(Arch.ARM64, config.arch());
        assertEquals(ConfigOrigin.userFile(other), config.origin(ConfigKey.ARCH));
    }

    @Test
    void aMissingFileNamedByKextkitConfigIsAnError() {
        Path missing = tmp.resolve("nope.properties");

        ConfigException e = failure(loader(Map.of("KEXTKIT_CONFIG", missing.toString())));

        assertEquals("KEXTKIT_CONFIG names " + missing + ", which does not exist. Create the file, or unset "
                + "KEXTKIT_CONFIG to use ~/.kextkit/kextkit.properties.", e.getMessage());
    }

    @Test
    void theFileInTheHomeDirectoryIsOptionalAndReadWhenPresent() throws IOException {
        assertEquals(Arch.X86_64, loader().load().arch());

        userFile("kextkit.arch=arm64\n");

        assertEquals(Arch.ARM64, loader().load().arch());
    }

    @Test
    void aStrayLineInTheUserFileIsReportedWithTheFile() throws IOException {
        Path file = userFile("kextkit.arch = arm64\nthis line is garbage\n");

        ConfigException e = failure(loader());

        assertEquals("Unknown configuration key \"this\" in " + file + ": expected one of " + ConfigKey.allNames()
                + ". Correct or remove the line in " + file + ".", e.getMessage());
    }

    @Test
    void aBrokenEscapeMakesTheFileMalformed() throws IOException {
        Path file = userFile("kextkit.boot-args = -v\\uZZZZ\n");

        ConfigException e = failure(loader());

        assertEquals("Configuration file " + file + " is malformed: Unable to parse unicode value: ZZZZ. Expected Java "
                + "properties lines such as kextkit.arch=arm64; fix the file.", e.getMessage());
    }

    @Test
    void aLineWithoutAKeyIsReported() throws IOException {
        Path file = userFile("=arm64\n");

        ConfigException e = failure(loader());

        assertTrue(e.getMessage().startsWith("Unknown configuration key \"\" in " + file + ": expected one of "),
                e.getMessage());
    }

    @Test
    void aKeySetTwiceInTheUserFileIsAnError() throws IOException {
        Path file = userFile("kextkit.arch = arm64\nkextkit.arch = x86_64\n");

        ConfigException e = failure(loader());

        assertEquals("kextkit.arch is set 2 times in " + file + "; expected it once. Keep one line.", e.getMessage());
    }

    @Test
    void aDirectoryIsNoConfigurationFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("conf.d"));

        ConfigException e = failure(loader(Map.of("KEXTKIT_CONFIG", dir.toString())));

        assertEquals("Configuration file " + dir + " is a directory, not a properties file. Point KEXTKIT_CONFIG at "
                + "a file.", e.getMessage());
    }

    @Test
    void anInvalidValueInTheUserFileNamesTheFileExpectationAndFinding() throws IOException {
        Path file = userFile("kextkit.arch = ppc\n");

        ConfigException e = failure(loader());

        assertEquals("Invalid value for kextkit.arch in " + file + ": expected x86_64 or arm64, found \"ppc\". "
                + "Correct kextkit.arch in " + file + ", or remove it to use the default.", e.getMessage());
    }

    @Test
    void anInvalidSystemPropertyIsNamedAsSuch() {
        props.setProperty("kextkit.kernel.version", "twenty-five");

        ConfigException e = failure(loader());

        assertEquals("Invalid value for kextkit.kernel.version in system property -Dkextkit.kernel.version: expected "
                + "a Darwin version such as 25.1.0 that the modern kext version grammar accepts, found "
                + "\"twenty-five\". Correct or remove -Dkextkit.kernel.version (check KEXTKIT_OPTS and "
                + "JAVA_TOOL_OPTIONS).", e.getMessage());
    }

    @Test
    void anInvalidBootArgOnTheCommandLineNamesTheArgument() {
        ConfigException e = failure(loader().commandLine(List.of("boot-args=-v debug=0xZZ")));

        assertEquals("Invalid value for kextkit.boot-args in the command line (--set kextkit.boot-args): boot-arg "
                + "debug=0xZZ: expected a decimal or 0x-prefixed hexadecimal number from 0 to 0xffffffff, found "
                + "\"0xZZ\". Correct the --set kextkit.boot-args=... option.", e.getMessage());
    }

    @Test
    void aVersionValidOnlyUnderTheModernGrammarFailsUnderLegacy() {
        assertEquals("25.100.0", loader().commandLine(List.of("kernel.version=25.100.0")).load()
                .kernelVersion().source());

        ConfigException e = failure(loader().commandLine(List.of("kernel.version=25.100.0", "version.grammar=legacy")));

        assertTrue(e.getMessage().contains("the legacy kext version grammar accepts, found \"25.100.0\""),
                e.getMessage());
    }

    @Test
    void anEmptyRequiredValueIsAnError() {
        ConfigException e = failure(loader().commandLine(List.of("arch=")));

        assertEquals("Invalid value for kextkit.arch in the command line (--set kextkit.arch): expected a value, "
                + "found an empty value. Correct the --set kextkit.arch=... option.", e.getMessage());
    }

    @Test
    void malformedSetArgumentsAreRejected() {
        assertEquals("Invalid --set arch on the command line: expected key=value, such as --set kextkit.arch=arm64, "
                + "found no '='. Keys: " + ConfigKey.allNames() + ".",
                failure(loader().commandLine(List.of("arch"))).getMessage());
        assertEquals("Unknown configuration key \"kextkit.archh\" in the command line (--set kextkit.archh=arm64): "
                + "expected one of " + ConfigKey.allNames() + ". Correct the --set option.",
                failure(loader().commandLine(List.of("kextkit.archh=arm64"))).getMessage());
    }

    @Test
    void anUnknownKextkitSystemPropertyIsATypoButOtherPropertiesAreIgnored() {
        props.setProperty("kextkit.sockett", "/tmp/x.sock");

        ConfigException e = failure(loader());

        assertEquals("Unknown configuration key \"kextkit.sockett\" in system property -Dkextkit.sockett: expected one of "
                + ConfigKey.allNames() + ". Remove -Dkextkit.sockett or correct its name.", e.getMessage());
    }

    @Test
    void extensionFoldersAreSplitOnCommasAndResolvedAgainstTheirLayer() throws IOException {
        Path file = userFile("kextkit.extensions = Kexts , /Library/Extensions,, ~/More\n");

        KextkitConfig fromFile = loader().load();
        KextkitConfig fromCommandLine = loader().commandLine(List.of("extensions=build/kexts,/opt/kexts")).load();

        assertEquals(List.of(file.getParent().resolve("Kexts"), Path.of("/Library/Extensions"), home.resolve("More")),
                fromFile.extensions());
        assertEquals(List.of(cwd.resolve("build/kexts"), Path.of("/opt/kexts")), fromCommandLine.extensions());
    }

    @Test
    void valuesMayUseInjectedSystemPropertiesAndEnvironment() throws IOException {
        userFile("kextkit.extensions = ${sys:user.home}/Kexts,${env:KEXT_DIR}\n");

        KextkitConfig config = loader(Map.of("KEXT_DIR", "/opt/kexts")).load();

        assertEquals(List.of(home.resolve("Kexts"), Path.of("/opt/kexts")), config.extensions());
    }

    @Test
    void anUndefinedVariableIsAnError() throws IOException {
        Path file = userFile("kextkit.socket = ${env:NO_SUCH_VARIABLE}/kernel.sock\n");

        ConfigException e = failure(loader());

        assertEquals("Invalid value for kextkit.socket in " + file + ": expected only ${sys:name} and ${env:NAME} "
                + "variables that are defined, found undefined ${env:NO_SUCH_VARIABLE} in "
                + "\"${env:NO_SUCH_VARIABLE}/kernel.sock\". Correct kextkit.socket in " + file
                + ", or remove it to use the default.", e.getMessage());
    }

    @Test
    void aSocketPathTooLongForSunPathIsRejected() {
        String longPath = "/tmp/" + "d".repeat(100) + "/kernel.sock";

        ConfigException e = failure(loader().commandLine(List.of("socket=" + longPath)));

        assertTrue(e.getMessage().startsWith("Invalid value for kextkit.socket in the command line (--set "
                + "kextkit.socket): expected a path of at most 103 bytes (the limit of a Unix domain socket address), "
                + "found " + longPath + " (" + longPath.length() + " bytes)."), e.getMessage());
    }

    @Test
    void daemonJavaOptionsMustBeJvmOptions() {
        assertEquals(List.of("-Xmx256m", "-XX:+UseSerialGC"),
                loader().commandLine(List.of("daemon.java-options= -Xmx256m  -XX:+UseSerialGC ")).load()
                        .daemonJavaOptions());

        ConfigException e = failure(loader().commandLine(List.of("daemon.java-options=-cp /evil")));
        assertTrue(e.getMessage().contains("found \"-cp\""), e.getMessage());
    }

    @Test
    void theBootTimeoutIsAWholeNumberOfSeconds() {
        ConfigException e = failure(loader().commandLine(List.of("daemon.boot-timeout=2.5")));

        assertTrue(e.getMessage().contains("expected a whole number of seconds from 1 to 3600, found \"2.5\""),
                e.getMessage());
    }

    @Test
    void timeSeedAndWatchdogDefaultToEachToolsChoiceSeedZeroAndTenSeconds() {
        KextkitConfig config = loader().load();

        assertEquals(java.util.Optional.empty(), config.timeMode());
        assertEquals(0, config.seed());
        assertEquals(java.time.Duration.ofSeconds(10), config.watchdog());
    }

    @Test
    void timeSeedAndWatchdogCanBeSet() {
        KextkitConfig config = loader().commandLine(List.of("time=REAL", "seed=0x2a", "watchdog=0.25")).load();

        assertEquals(java.util.Optional.of(org.kextkit.harness.scheduler.TimeMode.REAL), config.timeMode());
        assertEquals(42, config.seed());
        assertEquals(java.time.Duration.ofMillis(250), config.watchdog());
        assertTrue(config.toSetArguments().containsAll(List.of("kextkit.time=real", "kextkit.seed=42",
                "kextkit.watchdog=0.25")), config.toSetArguments().toString());
    }

    @Test
    void badTimeSeedAndWatchdogValuesNameTheKeyAndWhatWasExpected() {
        assertTrue(failure(loader().commandLine(List.of("time=wallclock"))).getMessage()
                .contains("Invalid value for kextkit.time in the command line (--set kextkit.time): expected virtual or real"), "time");
        assertTrue(failure(loader().commandLine(List.of("seed=twelve"))).getMessage()
                .contains("expected a whole number such as 42 or 0x2a that fits in 64 bits, found \"twelve\""), "seed");
        assertTrue(failure(loader().commandLine(List.of("watchdog=0"))).getMessage()
                .contains("kextkit.watchdog"), "watchdog 0");
        assertTrue(failure(loader().commandLine(List.of("watchdog=-3"))).getMessage()
                .contains("expected a number of seconds above 0 and at most 3600, such as 10 or 0.5, found \"-3\""),
                "negative watchdog");
    }

    @Test
    void theStackBudgetDefaultsTo16KiBAndCanBeSet() {
        assertEquals(16384, loader().load().stackBudget());
        KextkitConfig config = loader().commandLine(List.of("stack-budget=8192")).load();
        assertEquals(8192, config.stackBudget());
        assertTrue(config.toSetArguments().contains("kextkit.stack-budget=8192"), config.toSetArguments().toString());
    }

    @Test
    void aBadStackBudgetNamesTheKeyTheRangeAndTheValue() {
        for (String bad : List.of("16k", "-1", "255", "1048577")) {
            assertTrue(failure(loader().commandLine(List.of("stack-budget=" + bad))).getMessage()
                    .contains("Invalid value for kextkit.stack-budget in the command line (--set kextkit.stack-budget): "
                            + "expected a whole number of bytes from 256 to 1048576, such as 16384, found \"" + bad + "\""),
                    bad);
        }
    }

    @Test
    void noMachineFileMeansTheBuiltInMachine() {
        KextkitConfig config = loader().load();

        assertEquals(java.util.Optional.empty(), config.machine());
        assertTrue(config.toSetArguments().contains("kextkit.machine="), config.toSetArguments().toString());
    }

    @Test
    void aMachineFileIsResolvedLikeOtherPaths() throws IOException {
        Path file = userFile("kextkit.machine = machines/lab.plist\n");

        KextkitConfig fromFile = loader().load();
        KextkitConfig fromCommandLine = loader().commandLine(List.of("machine=lab.plist")).load();
        KextkitConfig fromHome = loader().commandLine(List.of("kextkit.machine=~/lab.plist")).load();

        assertEquals(java.util.Optional.of(file.getParent().resolve("machines/lab.plist")), fromFile.machine());
        assertEquals(ConfigOrigin.userFile(file), fromFile.origin(ConfigKey.MACHINE));
        assertEquals(java.util.Optional.of(cwd.resolve("lab.plist")), fromCommandLine.machine());
        assertEquals(ConfigOrigin.COMMAND_LINE, fromCommandLine.origin(ConfigKey.MACHINE));
        assertEquals(java.util.Optional.of(home.resolve("lab.plist")), fromHome.machine());
    }

    @Test
    void anInvalidMachinePathNamesTheKey() {
        ConfigException e = failure(loader().commandLine(List.of("machine=lab\0.plist")));

        assertTrue(e.getMessage().startsWith("Invalid value for kextkit.machine in the command line (--set "
                + "kextkit.machine): expected a valid path, found \"lab\0.plist\""), e.getMessage());
    }

    @Test
    void setArgumentsReproduceASnapshotExactly() throws IOException {
        userFile("""
                kextkit.extensions = Kexts
                kextkit.boot-args = -v  debug=0x144 foo=bar
                kextkit.arch = arm64
                kextkit.daemon.java-options = -Xmx64m
                kextkit.machine = lab.plist
                """);
        KextkitConfig original = loader().load();

        KextkitConfig copy = new ConfigLoader().noUserFile().systemProperties(new Properties())
                .commandLine(original.toSetArguments()).load();

        assertEquals(original.toSetArguments(), copy.toSetArguments());
        assertEquals(original.extensions(), copy.extensions());
        assertEquals(original.bootArgs(), copy.bootArgs());
        assertEquals(List.of("foo=bar"), copy.bootArgs().unknown());
        assertEquals(original.machine(), copy.machine());
    }

    @Test
    void everyCheckRunsAndNothingIsSuppressedByDefault() {
        KextkitConfig config = loader().load();
        assertEquals(org.kextkit.harness.check.CheckSettings.defaults(), config.checks());
        assertEquals("", config.value(ConfigKey.CHECKS_DISABLE));
        assertEquals("", config.value(ConfigKey.CHECKS_SUPPRESS));
    }

    @Test
    void checksAreDisabledAndSuppressedFromTheUserFileAndRoundTripThroughSetArguments() throws IOException {
        userFile("kextkit.checks.disable = lck-1, MEM-ZERO\n"
                + "kextkit.checks.suppress = LCK-HELD:com.example.driver@com.example.Driver#start=stop releases it, "
                + "always; MEM-4=the family frees it\n");
        KextkitConfig config = loader().load();
        assertEquals(java.util.Set.of("LCK-1", "MEM-ZERO"), config.checks().disabled());
        assertEquals(2, config.checks().suppressions().size());
        assertEquals("stop releases it, always", config.checks().suppressions().get(0).reason());
        KextkitConfig again = loader().commandLine(config.toSetArguments()).load();
        assertEquals(config.checks(), again.checks());
    }

    @Test
    void anUnknownCheckIdNamesTheKeyTheIdAndNearMatches() {
        ConfigException e = failure(loader().commandLine(List.of("checks.disable=LCK-HLD")));
        assertEquals("Invalid value for kextkit.checks.disable in the command line (--set kextkit.checks.disable): "
                + "unknown check id \"LCK-HLD\" in \"LCK-HLD\": did you mean LCK-HELD?; expected check ids separated by "
                + "commas, such as LCK-1,MEM-4. Correct the --set kextkit.checks.disable=... option.", e.getMessage());
    }

    @Test
    void aSuppressionWithoutAReasonIsAConfigurationErrorNamingTheFileAndEntry() throws IOException {
        Path file = userFile("kextkit.checks.suppress = MEM-4=freed later; LCK-HELD:com.example.driver\n");
        ConfigException e = failure(loader());
        assertEquals("Invalid value for kextkit.checks.suppress in " + file + ": suppression "
                + "\"LCK-HELD:com.example.driver\" has no reason: expected ID[:KEXT][@CLASS[#METHOD]]=REASON, such as "
                + "LCK-HELD:com.example.driver@com.example.Driver#start=stop releases it (every suppression says why it "
                + "is acceptable); entries are separated by ';'. Correct kextkit.checks.suppress in " + file
                + ", or remove it to use the default.", e.getMessage());
    }
}
