package org.kextkit.harness.lifecycle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.link.KextClassLoader;
import org.kextkit.kit.libkern.KextModule;
import org.kextkit.kit.libkern.KmodInfo;

/**
 * Hold the kernel's record of one loaded kext: what kextstat shows about it, and what the kernel
 * needs to stop and unlink it. Also the kext's {@link KmodInfo}.
 */
public final class LoadedKext implements KmodInfo {
    /** Where a kext stands in its life. */
    public enum State { LOADED, STARTED, STOPPING }

    private final KextBundle bundle;
    private final int tag;
    private final long address;
    private final long size;
    private final String uuid;
    private final List<LoadedKext> linkedAgainst;
    private final KextClassLoader classLoader;
    private final ClassLoader builtInLoader;
    private final HostedKernel kernel;
    private KextModule module;
    private State state = State.LOADED;
    private int explicitRetains;

    LoadedKext(HostedKernel kernel, KextBundle bundle, int tag, long address, long size, String uuid,
               List<LoadedKext> linkedAgainst, KextClassLoader classLoader) {
        this(kernel, bundle, tag, address, size, uuid, linkedAgainst, classLoader, null);
    }

    /** Create the record of a built-in family kext, whose classes come from {@code builtInLoader}, not a jar. */
    LoadedKext(HostedKernel kernel, KextBundle bundle, int tag, long address, long size, String uuid,
               List<LoadedKext> linkedAgainst, KextClassLoader classLoader, ClassLoader builtInLoader) {
        this.builtInLoader = builtInLoader;
        this.kernel = kernel;
        this.bundle = bundle;
        this.tag = tag;
        this.address = address;
        this.size = size;
        this.uuid = uuid;
        this.linkedAgainst = Collections.unmodifiableList(new ArrayList<>(linkedAgainst));
        this.classLoader = classLoader;
    }

    /** Return the bundle this kext was loaded from. */
    public KextBundle bundle() {
        return bundle;
    }

    /** Return the bundle identifier. */
    public String bundleId() {
        return bundle.identifier();
    }

    /** Return the load tag; kextstat's Index. */
    public int tag() {
        return tag;
    }

    @Override
    public int id() {
        return tag;
    }

    @Override
    public String name() {
        return bundle.identifier();
    }

    /** Return {@code CFBundleVersion} exactly as written in the plist (kextstat prints it raw). */
    @Override
    public String version() {
        return bundle.versionString();
    }

    /** Return the number of loaded kexts linked against this one ({@code kmod_info.reference_count}). */
    @Override
    public int referenceCount() {
        return kernel.linkedDependentsOf(this);
    }

    /** Return kextstat's Refs: linked dependents plus explicit retains. */
    public int refs() {
        return referenceCount() + explicitRetains;
    }

    @Override
    public long address() {
        return address;
    }

    @Override
    public long size() {
        return size;
    }

    /** Return the wired size; kextkit has no Mach-O header, so it equals the size. */
    public long wired() {
        return size;
    }

    /** Return the executable's UUID in upper case, or {@code null} if it has none. */
    public String uuid() {
        return uuid;
    }

    /** Return the kexts this one is linked against (direct, after codeless flattening). */
    public List<LoadedKext> linkedAgainst() {
        return linkedAgainst;
    }

    /** Return true for a kernel component (a KPI pseudo-kext). */
    public boolean isKernelComponent() {
        return bundle.isKernelComponent();
    }

    /** Return true for an interface or kernel component, which report address and size 0. */
    public boolean isInterface() {
        return bundle.isInterface();
    }

    /** Return true for a family kext built into kextkit (its classes come with kextkit, not from a jar). */
    public boolean isBuiltIn() {
        return builtInLoader != null;
    }

    /** Return the loader that defines the kext's classes: its own, a built-in family's, or {@code null}. */
    public ClassLoader definingLoader() {
        return classLoader != null ? classLoader : builtInLoader;
    }

    /** Return the kext's class loader, or {@code null} for kernel components and built-in families. */
    public KextClassLoader classLoader() {
        return classLoader;
    }

    /** Return the current state. */
    public State state() {
        return state;
    }

    KextModule module() {
        return module;
    }

    void started(KextModule startedModule) {
        this.module = startedModule;
        this.state = State.STARTED;
    }

    void stopping() {
        this.state = State.STOPPING;
    }

    /** Take an explicit reference ({@code OSKextRetainKextWithLoadTag}); it blocks unloading. */
    public void retain() {
        kernel.withStateLock(() -> explicitRetains++);
    }

    /** Drop an explicit reference. */
    public void release() {
        kernel.withStateLock(() -> {
            if (explicitRetains == 0) {
                throw new IllegalStateException("Kext " + name() + " released more often than retained");
            }
            explicitRetains--;
        });
    }

    @Override
    public String toString() {
        return name() + " (" + version() + ") tag " + tag;
    }
}
