package org.kextkit.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.kextkit.harness.lifecycle.KextReturn;

class ToolMessagesTest {
    @Test
    void kextutilMessages() {
        assertEquals("/tmp/Foo.kext appears to be loadable (including linkage for on-disk libraries).",
                KextutilMessages.appearsLoadable("/tmp/Foo.kext", true));
        assertEquals("/tmp/Foo.kext appears to be loadable (not including linkage for on-disk libraries).",
                KextutilMessages.appearsLoadable("/tmp/Foo.kext", false));
        assertEquals("Diagnostics for /tmp/Foo.kext:", KextutilMessages.diagnosticsFor("/tmp/Foo.kext"));
        assertEquals("Loading Foo.kext.", KextutilMessages.loading("Foo.kext"));
        assertEquals("Foo.kext successfully loaded (or already loaded).", KextutilMessages.loaded("Foo.kext"));
        assertEquals("Failed to load Foo.kext - (libkern/kext) link error.",
                KextutilMessages.failedToLoad("Foo.kext", KextReturn.LINK_ERROR));
        assertEquals("Check library declarations for your kext with kextlibs(8).", KextutilMessages.CHECK_LIBRARIES);
        assertEquals("Foo.kext is not eligible for loading during safe boot.",
                KextutilMessages.notEligibleInSafeBoot("Foo.kext", true));
        assertEquals("Notice: Foo.kext is not eligible for loading during safe boot.",
                KextutilMessages.notEligibleInSafeBoot("Foo.kext", false));
        assertEquals("Notice: Foo.kext has debug properties set.", KextutilMessages.debugProperties("Foo.kext"));
    }

    @Test
    void kextloadMessages() {
        assertEquals("/tmp/Foo.kext loaded successfully (or already loaded).", KextloadMessages.loaded("/tmp/Foo.kext"));
        assertEquals("/tmp/Foo.kext failed to load - (libkern/kext) dependency resolution failure; "
                + "check the system/kernel logs for errors or try kextutil(8).",
                KextloadMessages.failed("/tmp/Foo.kext", KextReturn.DEPENDENCIES));
        assertEquals("Notice: -print-diagnostics (-t) ignored; use kextutil(8) to test kexts.",
                KextloadMessages.NOTICE_PRINT_DIAGNOSTICS);
        assertEquals("Notice: -no-caches (-c) ignored; use kextutil(8) to test kexts.", KextloadMessages.NOTICE_NO_CACHES);
        assertEquals("Notice: -no-loaded-check (-D) ignored.", KextloadMessages.NOTICE_NO_LOADED_CHECK);
        assertEquals(ExitCodes.EX_OSERR, KextloadMessages.exitStatusFor(KextReturn.START_STOP_ERROR));
        assertEquals(ExitCodes.EX_NOPERM, KextloadMessages.exitStatusFor(KextReturn.NOT_PRIVILEGED));
        assertEquals(ExitCodes.EX_OK, KextloadMessages.exitStatusFor(KextReturn.SUCCESS));
    }

    @Test
    void kextunloadMessages() {
        assertEquals("com.example.Foo unloaded and personalities removed.", KextunloadMessages.unloaded("com.example.Foo"));
        assertEquals("com.example.Foo: services terminated and personalities removed (kext not unloaded).",
                KextunloadMessages.terminated("com.example.Foo"));
        assertEquals("Failed to unload com.example.Foo - (libkern/kext) kext is in use or retained (cannot unload).",
                KextunloadMessages.failedToUnload("com.example.Foo", KextReturn.IN_USE));
        assertEquals("Terminate for com.example.Foo failed - (libkern/kext) not found.",
                KextunloadMessages.terminateFailed("com.example.Foo", KextReturn.NOT_FOUND));
        assertEquals("All instances of class FooDriver terminated.", KextunloadMessages.classTerminated("FooDriver"));
        assertEquals("Failed to terminate class FooDriver - (libkern/kext) kext is in use or retained (cannot unload).",
                KextunloadMessages.classTerminateFailed("FooDriver", KextReturn.IN_USE));
        assertEquals("Check the system/kernel logs for error messages from the I/O Kit.", KextunloadMessages.CHECK_LOGS);
    }
}
