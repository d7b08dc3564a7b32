package org.kextkit.pci.testing;

import java.util.ArrayList;
import java.util.List;
import org.kextkit.hardware.pci.PciInterruptSink;

/** Record a function's interrupts as "INTx on", "INTx off" and "MSI n", in order. */
public final class InterruptLog implements PciInterruptSink {
    private final List<String> events = new ArrayList<>();

    @Override
    public void intxChanged(boolean asserted) {
        events.add(asserted ? "INTx on" : "INTx off");
    }

    @Override
    public void msi(int vector) {
        events.add("MSI " + vector);
    }

    /** Return the live list of what was recorded. */
    public List<String> events() {
        return events;
    }
}
