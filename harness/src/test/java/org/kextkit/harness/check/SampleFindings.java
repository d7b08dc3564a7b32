package org.kextkit.harness.check;

import java.util.List;

/** A small fixed set of findings the report tests print. */
public final class SampleFindings {
    public static final String DRIVER = "com.example.driver";

    private SampleFindings() {
    }

    public static CodeSite site(String method, int line) {
        return new CodeSite("com.example.driver.Driver", method, "Driver.java", line);
    }

    public static Finding lockHeld() {
        return new Finding(Checks.LCK_HELD, Severity.ERROR, DRIVER, "1.2.0",
                "Lock \"mLock\" (IOLock) is still held when Driver.start returns to the kernel.",
                site("start", 42), List.of(new RelatedSite("acquired", site("lockRing", 17))), "THREAD");
    }

    public static Finding doubleFree() {
        return new Finding(Checks.MEM_3, Severity.ERROR, DRIVER, "1.2.0",
                "Block of 64 bytes freed twice with IOFree.", site("stop", 88),
                List.of(new RelatedSite("allocated", site("start", 30)), new RelatedSite("first freed", site("free", 95))),
                "THREAD");
    }

    public static Finding leak() {
        return new Finding(Checks.MEM_4, Severity.WARNING, DRIVER, "1.2.0",
                "128 bytes allocated with IOMalloc are still allocated at unload.", site("start", 31), List.of(), null);
    }

    public static Finding kernelWide() {
        return new Finding(Checks.STK_FRAME, Severity.NOTE, null, null, "A frame of 9000 bytes.",
                new CodeSite("com.example.Helper", "<init>", null, -1), List.of(), null);
    }

    /** A report: the lock held twice, the double free, a suppressed leak; an idle kext beside. */
    public static FindingsReport report() {
        KernelFindings k = new KernelFindings(CheckSettings.of(List.of("API-FLOAT"),
                List.of(Suppression.parse("MEM-4:com.example.driver=freed by the family after unload"))));
        k.report(lockHeld());
        k.report(lockHeld());
        k.report(doubleFree());
        k.report(leak());
        return k.report(List.of(new KextRef(DRIVER, "1.2.0"), new KextRef("com.example.idle", "3.0")));
    }
}
