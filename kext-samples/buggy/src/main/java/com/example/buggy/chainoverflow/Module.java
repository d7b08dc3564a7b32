package com.example.buggy.chainoverflow;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/**
 * Walks a scatter list through a visitor callback that visits the next element: recursion through a
 * method reference stored in a JDK functional interface. The static pass finds the cycle at load
 * (STK-RECURSION at the recursive call); the list the "device" returns is 2,000 elements long, so the
 * walk then overflows the kernel stack (STK-OVERFLOW at the first line of the frame that did not fit).
 */
public final class Module implements KextModule {
    static final int ELEMENT = 8;
    static final int ELEMENTS = 2000;
    static final int END = -1;
    private final java.util.function.IntConsumer visitor = this::visit;
    private KernelBuffer list;
    private long bytes;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        list = IOMallocZero((long) ELEMENTS * ELEMENT);
        for (int i = 0; i < ELEMENTS; i++) {
            list.write32((long) i * ELEMENT, i + 1 < ELEMENTS ? i + 1 : END);
            list.write32((long) i * ELEMENT + 4, 512);
        }
        visitor.accept(0);
        IOFree(list, (long) ELEMENTS * ELEMENT);
        return KernReturn.KERN_SUCCESS;
    }

    void visit(int index) {
        bytes += list.read32((long) index * ELEMENT + 4); // BUG: STK-OVERFLOW
        int next = list.read32((long) index * ELEMENT);
        if (next != END) {
            visitor.accept(next); // BUG: STK-RECURSION
        }
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        return KernReturn.KERN_SUCCESS;
    }
}
