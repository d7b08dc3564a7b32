package org.kextkit.harness.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.kextkit.harness.scheduler.HostedScheduler;
import org.kextkit.kit.bsd.SysctlOid;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelPanic;
import org.kextkit.kit.internal.SysctlException;
import org.kextkit.kit.internal.SysctlTree;

/**
 * A hosted kernel's sysctl namespace as user space sees it: read, write and list by dotted name,
 * with {@code sysctl(8)}'s results. A procedure oid's handler is kext code, so every request runs on
 * a kernel thread; a handler that panics panics this kernel.
 */
public final class KernelSysctls {
    private final SysctlTree tree;
    private final HostedScheduler scheduler;
    private final Function<KernelPanic, RuntimeException> panicked;

    KernelSysctls(SysctlTree tree, HostedScheduler scheduler, Function<KernelPanic, RuntimeException> panicked) {
        this.tree = tree;
        this.scheduler = scheduler;
        this.panicked = panicked;
    }

    /**
     * Publish {@code oid} as one of the kernel's own (a family's, or a test's): it has no owning kext,
     * so no unload withdraws it. Its parent must be a top-level node or a published node.
     */
    public void publish(SysctlOid oid) {
        tree.publish(oid);
    }

    /** Read {@code name}. */
    public SysctlResult read(String name) {
        return run(name, () -> new SysctlResult(name, tree.read(name), null, 0, null));
    }

    /** Write {@code value} (decimal or 0x hexadecimal for numbers) to {@code name}. */
    public SysctlResult write(String name, String value) {
        return run(name, () -> {
            String previous = tree.write(name, value);
            return new SysctlResult(name, tree.read(name), previous, 0, null);
        });
    }

    /**
     * Read every readable value oid at or under {@code prefix} ("" for all), by name, as
     * {@code sysctl -a} does; nodes are not listed.
     */
    public List<SysctlResult> list(String prefix) {
        List<SysctlResult> results = new ArrayList<>();
        for (SysctlTree.Entry entry : tree.list(prefix)) {
            SysctlOid oid = entry.oid();
            if (oid.kind() != SysctlOid.Kind.NODE && oid.isReadable()) {
                results.add(read(oid.fullName()));
            }
        }
        return results;
    }

    /** Return the names published at or under {@code prefix}, nodes included, by name. */
    public List<String> names(String prefix) {
        return tree.list(prefix).stream().map(entry -> entry.oid().fullName()).toList();
    }

    private interface Request {
        SysctlResult run() throws SysctlException;
    }

    private SysctlResult run(String name, Request request) {
        try {
            return scheduler.call("sysctl " + name, ExecutionContext.THREAD, () -> {
                try {
                    return request.run();
                } catch (SysctlException e) {
                    return new SysctlResult(name, null, null, e.errno(), e.getMessage());
                }
            });
        } catch (KernelPanic p) {
            throw panicked.apply(p);
        } catch (CompletionException e) {
            if (e.getCause() instanceof KernelPanic p) {
                throw panicked.apply(p);
            }
            throw e;
        }
    }
}
