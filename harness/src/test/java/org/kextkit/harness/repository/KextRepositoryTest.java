package org.kextkit.harness.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.resolve.Kexts;

class KextRepositoryTest {
    private final Kexts kexts = new Kexts();

    private KextBundle lib(String path, String version) {
        return kexts.kext(path, "<key>CFBundleIdentifier</key><string>com.example.Lib</string>"
                + "<key>CFBundleVersion</key><string>" + version + "</string>"
                + "<key>OSBundleCompatibleVersion</key><string>1.0</string>");
    }

    @Test
    void seededWithTheKernelPseudoKexts() {
        KextRepository repository = new KextRepository();
        assertEquals(repository.kernel().bundles(), repository.all());
        assertSame(repository.kernel().bundle("com.apple.kpi.iokit"), repository.preferred("com.apple.kpi.iokit"));
        assertTrue(repository.identifiers().contains("com.apple.kernel.6.0"));
    }

    @Test
    void candidatesRunFromHighestVersionDown() {
        KextBundle v10 = lib("/a/Lib.kext", "1.0");
        KextBundle v20 = lib("/b/Lib.kext", "2.0");
        KextBundle v15 = lib("/c/Lib.kext", "1.5");
        KextBundle v20b1 = lib("/d/Lib.kext", "2.0b1");
        KextRepository repository = Kexts.repository(v10, v20, v15, v20b1);
        assertEquals(List.of(v20, v20b1, v15, v10), repository.candidates("com.example.Lib"));
    }

    @Test
    void onAVersionTieTheLaterCreatedKextComesFirst() {
        KextBundle first = lib("/a/Lib.kext", "1.0");
        KextBundle second = lib("/b/Lib.kext", "1.0");
        // Insertion order must not matter, only creation order.
        KextRepository repository = Kexts.repository(second, first);
        assertEquals(List.of(second, first), repository.candidates("com.example.Lib"));
    }

    @Test
    void aDiskKextWinsATieWithAPseudoKext() {
        KextBundle shadow = kexts.kext("/L/IOKit.kext", "<key>CFBundleIdentifier</key><string>com.apple.kpi.iokit</string>"
                + "<key>CFBundleVersion</key><string>25.1.0</string>"
                + "<key>OSBundleCompatibleVersion</key><string>7.0</string>");
        KextRepository repository = Kexts.repository(shadow);
        assertSame(shadow, repository.candidates("com.apple.kpi.iokit").get(0));
    }

    @Test
    void invalidKextsStayKnownButAreNeverPreferred() {
        KextBundle newest = Kexts.invalid(lib("/a/Lib.kext", "3.0"));
        KextBundle older = lib("/b/Lib.kext", "2.0");
        KextRepository repository = Kexts.repository(newest, older);
        assertEquals(List.of(newest, older), repository.candidates("com.example.Lib"));
        assertSame(older, repository.preferred("com.example.Lib"));
        assertEquals("it has validation failures", KextRepository.rejectionReason(newest));
        assertNull(KextRepository.rejectionReason(older));
    }

    @Test
    void addingIsIdempotentAndBringsPlugIns() {
        KextBundle parent = kexts.kext("/L/Parent.kext", "<key>CFBundleIdentifier</key><string>com.example.Parent</string>"
                + "<key>CFBundleVersion</key><string>1.0</string>");
        KextBundle plugin = kexts.plugin(parent, "Child.kext", "<key>CFBundleIdentifier</key><string>com.example.Child</string>"
                + "<key>CFBundleVersion</key><string>1.0</string>");
        KextRepository repository = new KextRepository();
        int seeded = repository.size();
        assertTrue(repository.add(parent));
        assertFalse(repository.add(parent));
        assertEquals(0, repository.addAll(List.of(parent, plugin)));
        assertEquals(seeded + 2, repository.size());
        assertEquals(List.of(plugin), repository.candidates("com.example.Child"));
    }

    @Test
    void removingForgetsTheKextAndItsPlugIns() {
        KextBundle parent = kexts.kext("/L/Parent.kext", "<key>CFBundleIdentifier</key><string>com.example.Parent</string>"
                + "<key>CFBundleVersion</key><string>1.0</string>");
        KextBundle plugin = kexts.plugin(parent, "Child.kext", "<key>CFBundleIdentifier</key><string>com.example.Child</string>"
                + "<key>CFBundleVersion</key><string>1.0</string>");
        KextBundle other = lib("/a/Lib.kext", "1.0");
        KextRepository repository = Kexts.repository(parent, other);
        assertTrue(repository.remove(parent));
        assertFalse(repository.contains(plugin));
        assertEquals(List.of(), repository.candidates("com.example.Child"));
        assertFalse(repository.identifiers().contains("com.example.Parent"));
        assertTrue(repository.contains(other));
        assertFalse(repository.remove(parent));
    }

    @Test
    void kextsWithoutIdentifierAreKnownButNotIndexed() {
        KextBundle anonymous = kexts.kext("/L/NoId.kext", "<key>CFBundleVersion</key><string>1.0</string>");
        KextRepository repository = Kexts.repository(anonymous);
        assertTrue(repository.contains(anonymous));
        assertEquals(anonymous, repository.all().get(repository.size() - 1));
        assertEquals(List.of(), repository.candidates(null));
    }
}
