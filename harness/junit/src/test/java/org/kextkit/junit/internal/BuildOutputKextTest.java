package org.kextkit.junit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.fixture.FixtureKexts;
import com.example.fixture.PingDriver;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelSettings;
import org.kextkit.junit.KernelLifecycle;

/** The module's own kext, read from target/classes and the filtered (or source) Info.plist. */
class BuildOutputKextTest {
    @TempDir
    Path module;
    HostedKernel kernel;

    @BeforeEach
    void boot() throws Exception {
        kernel = HostedKernel.boot(KernelSettings.defaults().withMachine(org.kextkit.harness.machine.MachineDescriptionReader.defaultMachine()));
        Path classFile = module.resolve("target/classes/com/example/fixture/PingDriver.class");
        Files.createDirectories(classFile.getParent());
        try (InputStream in = PingDriver.class.getResourceAsStream("PingDriver.class")) {
            Files.write(classFile, in.readAllBytes());
        }
    }

    @AfterEach
    void shutdown() {
        kernel.shutdown();
    }

    private void write(String relative, String text) throws Exception {
        Path file = module.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void anInfoPlistWithUnresolvedPropertiesIsRefusedSayingWhichAndHowToFixIt() throws Exception {
        write(BuildOutputKext.SOURCE_INFO_PLIST, FixtureKexts.infoPlist("com.example.fixture.Ping", PingDriver.class)
                .replace("<string>1.0.0</string>", "<string>${kext.version}</string>")
                .replace("<string>Fixture</string>", "<string>${kext.name}</string>"));

        ExtensionConfigurationException e = assertThrows(ExtensionConfigurationException.class,
                () -> new BuildOutputKext(module).addTo(kernel));

        assertTrue(e.getMessage().startsWith(module.resolve(BuildOutputKext.SOURCE_INFO_PLIST) + " still has unresolved"
                + " ${kext.name}, ${kext.version}"), e.getMessage());
        assertTrue(e.getMessage().contains("mvn test"), e.getMessage());
        assertTrue(e.getMessage().contains(BuildOutputKext.FILTERED_INFO_PLIST), e.getMessage());
    }

    @Test
    void theFilteredInfoPlistWinsAndTheClassesFolderLoadsAndMatchesWithoutAJar() throws Exception {
        write(BuildOutputKext.SOURCE_INFO_PLIST, "<plist>${unfiltered}</plist>");
        write(BuildOutputKext.FILTERED_INFO_PLIST, FixtureKexts.infoPlist("com.example.fixture.Ping", PingDriver.class));

        KextBundle bundle = new BuildOutputKext(module).addTo(kernel);

        assertEquals(module.resolve("target/Fixture.kext"), bundle.path());
        assertEquals(module.resolve(BuildOutputKext.CLASSES), bundle.executablePath());
        org.kextkit.harness.lifecycle.LoadReport report = kernel.load(bundle);
        assertTrue(report.isLoaded(), report.status() + " " + report.result() + report.messages() + kernel.logText());
        assertTrue(kernel.virtualTime().runUntil(() -> kernel.iokit().services().stream()
                .anyMatch(s -> s.getClass().getName().equals(PingDriver.class.getName()) && s.serviceState().started),
                java.time.Duration.ofSeconds(1)), kernel.logText());
    }

    @Test
    void noInfoPlistAtAllNamesBothPlacesLooked() {
        ExtensionConfigurationException e = assertThrows(ExtensionConfigurationException.class,
                () -> KernelSession.boot(new KernelSpec(KernelLifecycle.PER_METHOD, "", 42,
                        List.of(new BuildOutputKext(module)), List.of(), Map.of()), module));

        assertTrue(e.getMessage().contains("neither target/kext/Info.plist nor src/main/kext/Info.plist exists"),
                e.getMessage());
    }
}
