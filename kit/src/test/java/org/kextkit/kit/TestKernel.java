package org.kextkit.kit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.KernelPanic;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.KernelScheduler;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.internal.MemoryFault;
import org.kextkit.kit.internal.RealTimeScheduler;
import org.kextkit.kit.internal.SimulatedHeap;

/**
 * A real-time kernel for kit tests: records its log, panics and memory faults instead of printing
 * them. Kit calls made while {@link #enter()} is open reach it.
 */
public final class TestKernel implements KernelServices, AutoCloseable {
    public final List<String> log = new CopyOnWriteArrayList<>();
    public final List<String> panics = new CopyOnWriteArrayList<>();
    public final List<MemoryFault> faults = new CopyOnWriteArrayList<>();
    public final RealTimeScheduler scheduler = new RealTimeScheduler("test-kernel");
    public final SimulatedHeap heap = new SimulatedHeap(faults::add);

    public TestKernel() {
        scheduler.bind(this);
    }

    /** Route the calling thread's kit calls to this kernel until the scope closes. */
    public KernelRuntime.Scope enter() {
        return KernelRuntime.enter(this);
    }

    @Override
    public void log(Class<?> caller, String function, String message) {
        log.add(message);
    }

    @Override
    public KernelScheduler scheduler() {
        return scheduler;
    }

    @Override
    public KernelHeap heap() {
        return heap;
    }

    @Override
    public KernelPanic panic(String panicString) {
        panics.add(panicString);
        throw new KernelPanic(panicString);
    }

    @Override
    public void close() {
        scheduler.shutdown();
    }
}
