package org.kextkit.harness.check.instrument.internal;

/**
 * The user-space APIs kernel code must not use, and which of them refuse a kext at load.
 *
 * <p>Refused (the kext fails to link): ending the process ({@code System.exit},
 * {@code Runtime.exit/halt}), starting processes ({@code Runtime.exec}, {@code ProcessBuilder}) and
 * class-loading tricks (a {@code ClassLoader} subclass, {@code defineClass},
 * {@code Lookup.defineHiddenClass}): the first two take the host down or escape the kernel, the
 * last defines code the linker never checked. Reported (API-USER, error): files, sockets, raw
 * threads, standard output and error, and reflection that opens internals ({@code setAccessible},
 * {@code MethodHandles.privateLookupIn}): wrong in a kernel, but harmless to the hosted one.
 */
public final class ApiRules {
    private ApiRules() {
    }

    /**
     * What a rule says about one use.
     *
     * @param api the API as the finding names it
     * @param advice what kernel code does instead
     * @param refused whether the kext is refused at load
     */
    public record Verdict(String api, String advice, boolean refused) {
    }

    private static final String[] FILE_TYPES = {
        "java/io/File", "java/io/FileInputStream", "java/io/FileOutputStream", "java/io/FileReader", "java/io/FileWriter",
        "java/io/RandomAccessFile", "java/nio/file/Files", "java/nio/file/Paths", "java/nio/file/Path",
        "java/nio/file/FileSystems", "java/nio/channels/FileChannel"};
    private static final String[] SOCKET_TYPES = {
        "java/net/Socket", "java/net/ServerSocket", "java/net/DatagramSocket", "java/net/MulticastSocket",
        "java/net/URL", "java/net/URLConnection", "java/net/HttpURLConnection", "java/nio/channels/SocketChannel",
        "java/nio/channels/ServerSocketChannel", "java/nio/channels/DatagramChannel"};

    /** Return the verdict on one use, or {@code null} if kernel code may make it. */
    public static Verdict judge(KextScan.Use use) {
        String owner = use.owner();
        String name = use.name();
        switch (use.kind()) {
            case "extends":
                if (owner.equals("java/lang/ClassLoader") || owner.equals("java/security/SecureClassLoader")
                        || owner.equals("java/net/URLClassLoader")) {
                    return new Verdict("a ClassLoader subclass (" + owner.replace('/', '.') + ")",
                            "kext code is linked by the kernel; it may not define classes", true);
                }
                if (owner.equals("java/lang/Thread")) {
                    return new Verdict("a java.lang.Thread subclass", "use IOWorkLoop, thread calls or kernel_thread_start", false);
                }
                return null;
            case "field":
                if (owner.equals("java/lang/System") && (name.equals("out") || name.equals("err") || name.equals("in"))) {
                    return new Verdict("System." + name, "log with IOLog or printf", false);
                }
                return null;
            case "new":
            case "call":
                break;
            default:
                return null;
        }
        boolean call = use.kind().equals("call");
        if (owner.equals("java/lang/System") && call && name.equals("exit")
                || owner.equals("java/lang/Runtime") && call && (name.equals("exit") || name.equals("halt"))) {
            return new Verdict(owner.substring(owner.lastIndexOf('/') + 1) + "." + name,
                    "a kernel has no process to end: return an error from the entry point, or panic", true);
        }
        if (owner.equals("java/lang/Runtime") && call && name.equals("exec") || owner.equals("java/lang/ProcessBuilder")) {
            return new Verdict(owner.equals("java/lang/ProcessBuilder") ? "ProcessBuilder" : "Runtime.exec",
                    "kernel code cannot start processes; talk to a user-space daemon through a user client", true);
        }
        if (call && name.equals("defineClass") // on a JDK loader or lookup, or inherited by a ClassLoader subclass
                && (owner.startsWith("java/") || use.descriptor() != null && use.descriptor().contains("[B"))
                || call && owner.equals("java/lang/invoke/MethodHandles$Lookup") && name.equals("defineHiddenClass")) {
            String api = owner.startsWith("java/") ? owner.substring(owner.lastIndexOf('/') + 1) + "." + name : "ClassLoader." + name;
            return new Verdict(api, "kext code is linked by the kernel; it may not define classes", true);
        }
        if (call && (name.equals("setAccessible") || name.equals("trySetAccessible"))
                && owner.startsWith("java/lang/reflect/")) {
            return new Verdict("AccessibleObject." + name, "use the kit's exported KPIs, not the kernel's internals", false);
        }
        if (call && owner.equals("java/lang/invoke/MethodHandles") && name.equals("privateLookupIn")) {
            return new Verdict("MethodHandles.privateLookupIn", "use the kit's exported KPIs, not the kernel's internals", false);
        }
        if (owner.equals("java/lang/Thread") && (!call || name.equals("start") || name.equals("startVirtualThread")
                || name.equals("ofPlatform") || name.equals("ofVirtual"))) {
            return new Verdict(call ? "Thread." + name : "new Thread",
                    "use an IOWorkLoop, a thread call or kernel_thread_start", false);
        }
        for (String type : FILE_TYPES) {
            if (owner.equals(type)) {
                return new Verdict(type.replace('/', '.') + (call ? "." + name : ""),
                        "kernel code does not open files; let a user-space daemon read them", false);
            }
        }
        for (String type : SOCKET_TYPES) {
            if (owner.equals(type)) {
                return new Verdict(type.replace('/', '.') + (call ? "." + name : ""),
                        "kernel code does not open sockets; use a network kernel extension KPI or a daemon", false);
            }
        }
        return null;
    }
}
