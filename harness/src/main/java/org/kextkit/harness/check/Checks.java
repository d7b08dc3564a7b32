package org.kextkit.harness.check;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stable ids of every check, with a one-line title and the default severity. docs/checks.md
 * describes each one: the bad pattern, why it matters in a real kernel, and the fix. Ids never
 * change meaning once published; new checks get new ids.
 */
public final class Checks {
    /** One check. */
    public record Check(String id, String title, Severity severity) {
    }

    private static final Map<String, Check> ALL = new LinkedHashMap<>();

    // ---- locks (kext-semantics §7.1-7.2, catalogue rows 1-8, 30)
    /** A lock allocated or initialised and never freed or destroyed (at unload). */
    public static final String LCK_1 = def("LCK-1", "lock allocated or initialised but never freed or destroyed", Severity.WARNING);
    /** A lock freed or destroyed with a group other than the one it was made with. */
    public static final String LCK_2 = def("LCK-2", "lock freed or destroyed with the wrong group", Severity.ERROR);
    /** A lock group freed while locks made in it are still alive. */
    public static final String LCK_3 = def("LCK-3", "lock group freed while its locks are alive", Severity.WARNING);
    /** A lock freed or destroyed while held or waited on. */
    public static final String LCK_4 = def("LCK-4", "lock freed or destroyed while held", Severity.ERROR);
    /** A non-recursive mutex taken again by the thread that holds it. */
    public static final String LCK_5 = def("LCK-5", "recursive acquisition of a non-recursive lock", Severity.ERROR);
    /** A lock released by a thread that does not hold it, or released twice. */
    public static final String LCK_6 = def("LCK-6", "unlock of a lock not held by this thread", Severity.ERROR);
    /** A blocking call while holding a spin lock or at primary interrupt level. */
    public static final String LCK_7 = def("LCK-7", "blocking call with a spin lock held or in interrupt context", Severity.ERROR);
    /** A lock still held when a kext entry point returns to the kernel. */
    public static final String LCK_HELD = def("LCK-HELD", "lock still held when an entry point returns to the kernel", Severity.ERROR);
    /** Two lock classes taken in both orders: a possible deadlock. */
    public static final String LCK_ORDER = def("LCK-ORDER", "lock-order inversion (possible deadlock)", Severity.ERROR);
    /** A lock taken at primary interrupt level and elsewhere with interrupts enabled. */
    public static final String LCK_IRQ = def("LCK-IRQ", "lock taken in interrupt context and elsewhere with interrupts enabled", Severity.ERROR);
    /** A gate or spin lock held longer than the configured threshold. */
    public static final String LCK_LONG = def("LCK-LONG", "gate or spin lock held too long", Severity.WARNING);

    // ---- memory (§7.3, rows 11, 13-19)
    /** A block freed with a function that does not pair with the one that allocated it. */
    public static final String MEM_1 = def("MEM-1", "allocator and free function do not match", Severity.ERROR);
    /** A free whose size differs from the allocation's. */
    public static final String MEM_2 = def("MEM-2", "free size differs from allocation size", Severity.ERROR);
    /** A block freed twice. */
    public static final String MEM_3 = def("MEM-3", "double free", Severity.ERROR);
    /** Memory still allocated by the kext at stop or unload. */
    public static final String MEM_4 = def("MEM-4", "memory leaked at stop or unload", Severity.WARNING);
    /** {@code OSMalloc_Tagfree} with blocks of the tag still allocated. */
    public static final String MEM_5 = def("MEM-5", "OSMalloc tag freed with live blocks", Severity.ERROR);
    /** A free of something never allocated, or of a pointer into the middle of a block. */
    public static final String MEM_INVALID_FREE = def("MEM-INVALID-FREE", "free of memory that was never allocated", Severity.ERROR);
    /** A read or write through a freed block. */
    public static final String MEM_UAF = def("MEM-UAF", "use after free", Severity.ERROR);
    /** A read or write past either end of a block. */
    public static final String MEM_OOB = def("MEM-OOB", "out-of-bounds access", Severity.ERROR);
    /** An allocation of zero bytes. */
    public static final String MEM_ZERO = def("MEM-ZERO", "zero-size allocation", Severity.WARNING);

    // ---- objects, work loops, thread calls (§7.4-7.5, rows 12, 16, 20-24)
    /** An OSObject released more times than it was retained. */
    public static final String OBJ_1 = def("OBJ-1", "OSObject over-released", Severity.ERROR);
    /** An OSObject retained after it was freed. */
    public static final String OBJ_2 = def("OBJ-2", "OSObject retained after free", Severity.ERROR);
    /** Instances of the kext's classes still alive at unload. */
    public static final String OBJ_3 = def("OBJ-3", "instances of the kext's classes alive at unload", Severity.ERROR);
    /** An event source released while still added to a work loop. */
    public static final String WL_1 = def("WL-1", "event source released while on a work loop", Severity.ERROR);
    /** A timer still armed when removed, released or at stop. */
    public static final String WL_2 = def("WL-2", "timer left armed", Severity.ERROR);
    /** {@code runAction}/{@code runCommand} from interrupt context. */
    public static final String WL_3 = def("WL-3", "command gate used from interrupt context", Severity.ERROR);
    /** {@code commandSleep} without holding the gate. */
    public static final String WL_4 = def("WL-4", "commandSleep without the gate", Severity.ERROR);
    /** A work loop, thread or event source still running or registered at stop/unload. */
    public static final String WL_LIVE = def("WL-LIVE", "work loop, event source or interrupt handler left running", Severity.ERROR);
    /** A memory descriptor prepared and not completed. */
    public static final String MD_PREPARED = def("MD-PREPARED", "memory descriptor prepared and not completed", Severity.WARNING);
    /** A sysctl oid still registered when its kext unloads. */
    public static final String REG_SYSCTL = def("REG-SYSCTL", "sysctl still registered at unload", Severity.ERROR);
    /** DMA still programmed into a device when its driver stopped. */
    public static final String DMA_LIVE = def("DMA-LIVE", "DMA still programmed into the device at stop", Severity.ERROR);
    /** {@code thread_call_free} of a pending call, or of one whose callout runs on another thread. */
    public static final String TC_1 = def("TC-1", "thread call freed while pending or running", Severity.ERROR);
    /** Thread calls pending, running or never freed when their driver stops or the kext unloads. */
    public static final String TC_2 = def("TC-2", "thread call outstanding at stop or unload", Severity.ERROR);

    // ---- stack and recursion (seed: "Performance and Stability Tips")
    /** The kernel stack budget was exceeded. */
    public static final String STK_OVERFLOW = def("STK-OVERFLOW", "kernel stack overflow", Severity.ERROR);
    /** A recursive cycle in the kext's call graph. */
    public static final String STK_RECURSION = def("STK-RECURSION", "recursion in kernel code", Severity.WARNING);
    /** A method whose frame is unusually large. */
    public static final String STK_FRAME = def("STK-FRAME", "unusually large stack frame", Severity.NOTE);

    // ---- personalities
    /** A personality whose IOProviderClass no class of the kernel, its families or the kext can be. */
    public static final String PER_PROVIDER = def("PER-PROVIDER", "personality's provider class does not exist", Severity.WARNING);
    /** A personality whose IOClass names no class of the kext, its libraries, the families or the kit. */
    public static final String PER_CLASS = def("PER-CLASS", "personality's driver class does not exist", Severity.ERROR);

    // ---- style and forbidden APIs (seed: "Kernel Programming Style")
    /** A bundle id or class name that is not reverse-DNS or uses a reserved prefix. */
    public static final String STY_NAME = def("STY-NAME", "name not in reverse-DNS form or uses a reserved prefix", Severity.WARNING);
    /** A user-space API used from kernel code (files, sockets, exit, exec, raw threads, stdout, ...). */
    public static final String API_USER = def("API-USER", "user-space API used in kernel code", Severity.ERROR);
    /** Floating point in kernel code. */
    public static final String API_FLOAT = def("API-FLOAT", "floating point in kernel code", Severity.NOTE);

    // ---- the kernel itself
    /** The hosted kernel panicked; the finding carries the panic string and the kext frames of its backtrace. */
    public static final String PANIC = def("PANIC", "kernel panic", Severity.FATAL);

    private Checks() {
    }

    private static String def(String id, String title, Severity severity) {
        ALL.put(id, new Check(id, title, severity));
        return id;
    }

    /** Return every check, in catalogue order. */
    public static Map<String, Check> all() {
        return java.util.Collections.unmodifiableMap(ALL);
    }

    /** Return the check with this id, or {@code null}. */
    public static Check get(String id) {
        return ALL.get(id);
    }

    /**
     * Return the id of the check {@code typed} names, which may differ from it in case.
     *
     * @param typed the id as written
     * @param entry the configuration or command-line entry it came from, for the message
     * @throws CheckSettingsException if no check has this id; the message lists near matches
     */
    public static String canonicalId(String typed, String entry) {
        String id = typed.strip().toUpperCase(java.util.Locale.ROOT);
        if (ALL.containsKey(id)) {
            return id;
        }
        java.util.List<String> near = nearMatches(id);
        String hint = near.isEmpty() ? "docs/checks.md lists every check" : "did you mean " + String.join(", ", near) + "?";
        throw new CheckSettingsException(entry, (typed.isBlank() ? "missing check id" : "unknown check id \"" + typed.strip()
                + "\"") + " in \"" + entry.strip() + "\": " + hint);
    }

    /** Return the ids closest to {@code typed}: same family prefix or at most two edits away, best first. */
    public static java.util.List<String> nearMatches(String typed) {
        String t = typed.toUpperCase(java.util.Locale.ROOT);
        java.util.List<String> close = new java.util.ArrayList<>();
        for (String id : ALL.keySet()) {
            if (distance(t, id) <= 2) {
                close.add(id);
            }
        }
        if (close.isEmpty() && !t.isEmpty()) {
            String family = t.contains("-") ? t.substring(0, t.indexOf('-') + 1) : t + "-";
            for (String id : ALL.keySet()) {
                if (id.startsWith(family)) {
                    close.add(id);
                }
            }
        }
        close.sort(java.util.Comparator.comparingInt(id -> distance(t, id)));
        return close;
    }

    /** Return the anchor of the check's section in docs/checks.md, such as {@code lck-held}. */
    public static String docsAnchor(String id) {
        return id.toLowerCase(java.util.Locale.ROOT);
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return prev[b.length()];
    }
}
