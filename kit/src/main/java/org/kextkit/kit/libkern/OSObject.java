package org.kextkit.kit.libkern;

import java.util.concurrent.atomic.AtomicInteger;
import org.kextkit.kit.internal.KernelChecks;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.internal.Standalone;

/**
 * Root of the libkern object model: a reference-counted object whose live instances the kernel
 * counts per class, as {@code OSObject} and {@code OSMetaClass} do.
 *
 * <p>A new object has a retain count of 1, owned by its creator. {@link #release()} to zero calls
 * {@link #free()}, which subclasses override to release what they hold and must end by calling
 * {@code super.free()}. While any instance of a kext's classes is alive, the kernel refuses to
 * unload that kext ("classes have instances").
 *
 * <p>Java's garbage collector plays no part: an object is dead when its retain count reaches zero,
 * exactly as in the kernel, so a missing {@code release()} is a leak the kernel can report.
 */
public class OSObject {
    private final AtomicInteger retainCount = new AtomicInteger(1);
    private final KernelServices kernel;
    private volatile boolean freed;

    /** Create an object with a retain count of 1 and count it as a live instance of its class. */
    protected OSObject() {
        this.kernel = KernelRuntime.servicesFor(getClass());
        if (kernel != null) {
            kernel.instanceConstructed(getClass());
            KernelChecks checks = kernel.checks();
            if (checks.active()) {
                checks.objectCreated(this);
            }
        }
    }

    /**
     * Return the kernel this object was created in (the standalone services if none); the kit
     * uses it to reach that kernel's clock, heap and registry. Not usable by kexts.
     */
    protected final KernelServices kernelServices() {
        return kernel == null ? Standalone.SERVICES : kernel;
    }

    /** Take one more reference; retaining a freed object panics the kernel, as XNU does. */
    public void retain() {
        if (freed) {
            String message = "Attempting to retain a freed object of class " + getClass().getName();
            KernelChecks checks = kernelServices().checks();
            if (checks.active()) {
                checks.teardownMisuse(KernelChecks.TeardownMisuse.RETAIN_AFTER_FREE, this, message);
            }
            throw kernelServices().panic(message);
        }
        retainCount.incrementAndGet();
    }

    /** Drop one reference; the last one frees the object. Releasing once too often panics the kernel, as XNU does. */
    public void release() {
        int now = retainCount.decrementAndGet();
        if (now == 0) {
            free();
            if (!freed) {
                throw new IllegalStateException(getClass().getName() + ".free() did not call super.free()");
            }
        } else if (now < 0) {
            retainCount.set(0);
            String message = "A kext releasing a(n) " + getClass().getName() + " has over-released it";
            KernelChecks checks = kernelServices().checks();
            if (checks.active()) {
                checks.teardownMisuse(KernelChecks.TeardownMisuse.OVER_RELEASE, this, message);
            }
            throw kernelServices().panic(message);
        }
    }

    /** Return the current retain count. */
    public int getRetainCount() {
        return retainCount.get();
    }

    /**
     * Release what this object holds. Called once, when the retain count reaches zero; overriding
     * methods must call {@code super.free()} last.
     */
    protected void free() {
        if (!freed) {
            freed = true;
            if (kernel != null) {
                kernel.instanceDestructed(getClass());
                KernelChecks checks = kernel.checks();
                if (checks.active()) {
                    checks.objectFreed(this);
                }
            }
        }
    }

    /** Return true once {@link #free()} has run. */
    protected final boolean isFreed() {
        return freed;
    }
}
