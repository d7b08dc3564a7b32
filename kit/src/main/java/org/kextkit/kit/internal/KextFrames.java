package org.kextkit.kit.internal;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The kernel-stack account that instrumented kext code keeps: the one kit class that code the
 * kernel generates into a kext's classes calls, and that a kext's class loader therefore lets
 * instrumented classes reach (kext-written code never may: the link check, which reads the jar's
 * original bytes, refuses every {@code org.kextkit.kit.internal} name).
 *
 * <p>Each kext method is registered once, when its class is instrumented, with its site and frame
 * estimate ({@link #register}); the registration returns the method's id. Its instrumented body then
 * starts with {@code Stack s = KextFrames.current(); int d = s.enter(id, frameBytes);} and leaves
 * through {@code s.exit(d)} on every return and on every exception that escapes it. A thread's
 * {@link Stack} is a depth counter, the bytes charged at each depth and the ids of the methods on the
 * stack: entering charges the frame and, if the total passes the thread's budget, asks the method's
 * {@link Monitor} to panic the kernel; no call allocates (arrays grow only when a thread goes deeper
 * than it ever went).
 *
 * <p>The budget of a thread is the budget of the monitor of the first kext method it enters from
 * outside any kext code, so one thread may serve several hosted kernels in turn. Methods marked as
 * entry points (kernel→kext boundaries) also tell their monitor when they are entered and left.
 */
public final class KextFrames {
    /** The most ids a method table holds before it grows. */
    private static final int CHUNK = 1024;

    private static final ThreadLocal<Stack> STACKS = ThreadLocal.withInitial(Stack::new);
    private static final Object LOCK = new Object();

    // Registered methods, indexed by id; arrays are replaced (never mutated in place for a live id)
    private static volatile Method[] methods = new Method[CHUNK];
    private static int nextId;
    // The ids of methods whose monitors were collected, for reuse, and where their monitors' references
    // are queued once cleared. Guarded by LOCK.
    private static final ReferenceQueue<Monitor> GONE = new ReferenceQueue<>();
    private static int[] freeIds = new int[0];
    private static int freeCount;
    private static Owner lastOwner;

    private KextFrames() {
    }

    /**
     * What the kernel that instrumented a kext wants to hear about: its budget, stack overflows and
     * the entry points of its kexts.
     */
    public interface Monitor {
        /** Return the kernel stack budget, in bytes, of a thread that enters kext code of this kernel. */
        int stackBudget();

        /**
         * The thread's kext frames would exceed its budget: panic the kernel (throw {@link KernelPanic}).
         *
         * @param overflow the frames on the stack, the depth and the bytes they would take
         */
        void stackOverflow(Overflow overflow);

        /** An entry point of a kext (a method the kernel calls) was entered on the current thread. */
        default void entryPointEntered(Method method) {
        }

        /**
         * An entry point of a kext returned to its caller on the current thread, normally or by an
         * exception ({@code threw}).
         */
        default void entryPointReturned(Method method, boolean threw) {
        }
    }

    /**
     * One instrumented kext method.
     *
     * @param id the id the instrumented code passes
     * @param className the binary class name
     * @param methodName the method's name
     * @param descriptor the method's descriptor
     * @param fileName the source file, or {@code null}
     * @param line the first line of the method, or -1
     * @param frameBytes the frame estimate charged on entry
     * @param entryPointKind for an entry point, what the kernel calls it as ({@code IOService.start},
     *     {@code KextModule.stop}, {@code OSObject.free}, a kit interface...), else {@code null}
     */
    public record Method(int id, String className, String methodName, String descriptor, String fileName, int line,
                         int frameBytes, String entryPointKind) {
        /** Return {@code com.example.Driver.start(Driver.java:42)}, as a stack trace shows a frame. */
        @Override
        public String toString() {
            String where = fileName == null ? "Unknown Source" : line >= 0 ? fileName + ":" + line : fileName;
            return className + "." + methodName + "(" + where + ")";
        }
    }

    /**
     * A stack overflow: the kext frames on the thread, oldest first, with the one that did not fit
     * last.
     *
     * @param frames the methods on the stack, oldest first, ending with the one being entered
     * @param depth how many kext frames that is
     * @param bytes the bytes the frames would take
     * @param budget the thread's budget
     */
    public record Overflow(List<Method> frames, int depth, int bytes, int budget) {
        /**
         * Return the repeating part of the stack: the shortest run of methods at the top whose
         * sequence repeats just below it, or an empty list if the top of the stack does not repeat.
         */
        public List<Method> cycle() {
            int n = frames.size();
            for (int length = 1; length <= n / 2; length++) {
                boolean repeats = true;
                for (int i = 0; i < length && repeats; i++) {
                    repeats = frames.get(n - 1 - i).id() == frames.get(n - 1 - length - i).id();
                }
                if (repeats) {
                    return List.copyOf(frames.subList(n - length, n));
                }
            }
            return List.of();
        }
    }

    /** Return the frame account of the current thread. */
    public static Stack current() {
        return STACKS.get();
    }

    /**
     * Register one instrumented method and return its id.
     *
     * @param monitor the kernel the method's kext is loaded in; held weakly, so that a kernel that is
     *     gone is not kept alive by its kexts' registrations. Once it has been collected the method's
     *     record is dropped and its id may be given to another method, so the monitor must stay
     *     reachable for as long as the method's code can run (held, for example, by the class loader
     *     that defines the instrumented class)
     */
    public static int register(Monitor monitor, String className, String methodName, String descriptor, String fileName,
                               int line, int frameBytes, String entryPointKind) {
        synchronized (LOCK) {
            releaseCollected();
            int id = freeCount > 0 ? freeIds[--freeCount] : nextId++;
            Method[] table = methods;
            Owner[] owners = monitors;
            if (id >= table.length) {
                // Grow by half: kernels that come and go reuse released ids, so the table levels off.
                int length = table.length + Math.max(CHUNK, table.length / 2);
                table = Arrays.copyOf(table, length);
                owners = Arrays.copyOf(owners, length);
            }
            Owner owner = lastOwner;
            if (owner == null || owner.get() != monitor) {
                owner = new Owner(monitor);
                lastOwner = owner;
            }
            owner.add(id);
            owners[id] = owner;
            table[id] = new Method(id, className, methodName, descriptor, fileName, line, frameBytes, entryPointKind);
            monitors = owners;
            methods = table; // the volatile writes publish the entry
            return id;
        }
    }

    /**
     * Drop the records of methods whose monitors were collected, and keep their ids for reuse: a
     * collected monitor means no code of theirs can run any more. Without this every kext ever
     * instrumented stayed in the tables, and a process that boots kernel after kernel grew without end.
     */
    private static void releaseCollected() {
        Method[] table = methods;
        Owner[] owners = monitors;
        for (Reference<? extends Monitor> gone = GONE.poll(); gone != null; gone = GONE.poll()) {
            Owner owner = (Owner) gone;
            if (freeIds.length < freeCount + owner.count) {
                freeIds = Arrays.copyOf(freeIds, Math.max(freeCount + owner.count, freeIds.length * 2));
            }
            for (int i = 0; i < owner.count; i++) {
                int id = owner.ids[i];
                table[id] = null;
                owners[id] = null;
                freeIds[freeCount++] = id;
            }
            if (lastOwner == owner) {
                lastOwner = null;
            }
        }
    }

    /** A monitor, held weakly, and the ids registered with it. Guarded by LOCK. */
    private static final class Owner extends WeakReference<Monitor> {
        private int[] ids = new int[8];
        private int count;

        Owner(Monitor monitor) {
            super(monitor, GONE);
        }

        void add(int id) {
            if (count == ids.length) {
                ids = Arrays.copyOf(ids, count * 2);
            }
            ids[count++] = id;
        }
    }

    private static volatile Owner[] monitors = new Owner[CHUNK];

    /** Return the method registered under {@code id}. */
    public static Method method(int id) {
        return methods[id];
    }

    private static Monitor monitorOf(int id) {
        Method[] published = methods; // read first: its volatile read makes the monitor entry visible
        Owner owner = published[id] == null ? null : monitors[id];
        return owner == null ? null : owner.get();
    }

    /** Return the budget of threads entering method {@code id} from outside kext code. */
    private static int budgetOf(int id) {
        Monitor monitor = monitorOf(id);
        return monitor == null ? Integer.MAX_VALUE : monitor.stackBudget();
    }

    /** One thread's kext frames. Only its own thread uses it. */
    public static final class Stack {
        private int depth;
        private int[] ids = new int[64];
        private int[] used = new int[65];
        private int[] lines = new int[64];
        private int budget = Integer.MAX_VALUE;

        Stack() {
        }

        /** Return how many kext frames the thread has. */
        public int depth() {
            return depth;
        }

        /** Return the bytes the thread's kext frames take. */
        public int bytesUsed() {
            return used[depth];
        }

        /**
         * Charge one frame of method {@code id} and return the depth to restore on its exit.
         *
         * @throws KernelPanic if the frame does not fit in the thread's budget
         */
        public int enter(int id, int frameBytes) {
            int d = depth;
            if (d == 0) {
                budget = budgetOf(id);
            } else if (d + 1 >= ids.length) {
                grow();
            }
            ids[d] = id;
            lines[d] = -1;
            int total = used[d] + frameBytes;
            used[d + 1] = total;
            depth = d + 1;
            if (total > budget) {
                overflow(d, total);
            }
            return d;
        }

        /**
         * Record that the method at depth {@code savedDepth} (the value {@link #enter} returned) is
         * about to call out from source line {@code line}: instrumented code calls it before each of
         * its calls, so that the kernel can name the kext's call sites without walking the stack.
         */
        public void at(int savedDepth, int line) {
            lines[savedDepth] = line;
        }

        /**
         * Return the method id of the kext frame {@code fromTop} frames below the innermost one (0 is
         * the innermost); {@code fromTop} must be less than {@link #depth()}.
         */
        public int methodAt(int fromTop) {
            return ids[depth - 1 - fromTop];
        }

        /**
         * Return the source line the kext frame {@code fromTop} frames below the innermost one is
         * calling out from, or -1 if it has made no call with a line known yet.
         */
        public int lineAt(int fromTop) {
            return lines[depth - 1 - fromTop];
        }

        /**
         * Return the innermost kext frame as a stack-trace element (class, method, file and the line
         * it is calling out from), or {@code null} if the thread runs no instrumented kext code.
         *
         * @param classLoaderName the name of the frame's class loader, as the JVM would report it
         */
        public StackTraceElement innermost(String classLoaderName) {
            if (depth == 0) {
                return null;
            }
            Method method = methods[ids[depth - 1]];
            return new StackTraceElement(classLoaderName, null, null, method.className(), method.methodName(),
                    method.fileName(), lines[depth - 1]);
        }

        /** Release every frame above {@code savedDepth} (the value {@link #enter} returned). */
        public void exit(int savedDepth) {
            depth = savedDepth;
        }

        /** {@link #enter} for an entry point: also tells its monitor. */
        public int enterEntryPoint(int id, int frameBytes) {
            int d = enter(id, frameBytes);
            Monitor monitor = monitorOf(id);
            if (monitor != null) {
                monitor.entryPointEntered(methods[id]);
            }
            return d;
        }

        /** {@link #exit} for an entry point returning normally: also tells its monitor. */
        public void exitEntryPoint(int savedDepth, int id) {
            depth = savedDepth;
            Monitor monitor = monitorOf(id);
            if (monitor != null) {
                monitor.entryPointReturned(methods[id], false);
            }
        }

        /** {@link #exit} for an entry point left by an exception: also tells its monitor. */
        public void exitEntryPointThrowing(int savedDepth, int id) {
            depth = savedDepth;
            Monitor monitor = monitorOf(id);
            if (monitor != null) {
                monitor.entryPointReturned(methods[id], true);
            }
        }

        private void grow() {
            ids = Arrays.copyOf(ids, ids.length * 2);
            used = Arrays.copyOf(used, ids.length + 1);
            lines = Arrays.copyOf(lines, ids.length);
        }

        private void overflow(int d, int total) {
            Method[] table = methods;
            List<Method> frames = new ArrayList<>(d + 1);
            for (int i = 0; i <= d; i++) {
                frames.add(table[ids[i]]);
            }
            int id = ids[d];
            int limit = budget;
            // The frame is not charged: the panic unwinds through the handlers, which restore depths.
            depth = d;
            Monitor monitor = monitorOf(id);
            Overflow overflow = new Overflow(List.copyOf(frames), d + 1, total, limit);
            if (monitor != null) {
                monitor.stackOverflow(overflow);
            }
            throw new KernelPanic("kernel stack overflow: " + overflow.depth() + " kext frames need " + total
                    + " bytes, over the " + limit + "-byte budget");
        }
    }
}
