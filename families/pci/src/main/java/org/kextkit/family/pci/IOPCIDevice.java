package org.kextkit.family.pci;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kextkit.family.pci.internal.PciDeviceTree;
import org.kextkit.family.pci.internal.PciIds;
import org.kextkit.family.pci.internal.PciMatcher;
import org.kextkit.hardware.pci.PciBar;
import org.kextkit.hardware.pci.PciFunction;
import org.kextkit.hardware.pci.PciInterruptSink;
import org.kextkit.harness.iokit.matching.ExplainsFamilyMatch;
import org.kextkit.harness.iokit.matching.MatchExplanation;
import org.kextkit.kit.internal.DeviceRegisters;
import org.kextkit.kit.internal.KernelScheduler;
import org.kextkit.kit.iokit.IODeviceMemory;
import org.kextkit.kit.iokit.IOInterruptAction;
import org.kextkit.kit.iokit.IOMemoryMap;
import org.kextkit.kit.iokit.IOPMPowerState;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.libkern.SInt32;

/**
 * The nub of one PCI function, published by {@link IOPCIBridge}: what a PCI driver's
 * {@code start(provider)} receives ({@code IOPCIDevice}).
 *
 * <p><b>Configuration space.</b> {@link #configRead32}/{@link #configWrite32} (and the 8- and 16-bit
 * forms) reach the function's 256-byte header: read-only fields ignore writes, BARs answer the
 * all-ones sizing write with their size mask, and the command register's bits gate the device:
 * call {@link #setMemoryEnable}, {@link #setIOEnable} and {@link #setBusMasterEnable} before touching
 * registers or starting DMA, as on a real Mac.
 *
 * <p><b>Registers.</b> {@link #getDeviceMemoryWithRegister} returns a BAR's range by its
 * configuration offset ({@link #kIOPCIConfigBaseAddress0} ...); {@link #mapDeviceMemoryWithRegister}
 * maps it, and reads and writes on the map reach the device model. I/O-space BARs are reached with
 * {@link #ioRead32} and friends, whose offsets are relative to the function's first I/O BAR.
 *
 * <p><b>Interrupts.</b> Source index 0 is the legacy INTx line (level-triggered); indices 1 to n are
 * the function's MSI vectors 0 to n-1 ({@link #getInterruptType} reports them as
 * {@link #kIOInterruptTypeEdge} | {@link #kIOInterruptTypePCIMessaged}, so a driver finds its MSI
 * source the way it does with Apple's family, by looping over indices until the type has the
 * messaged bit). Enabling an MSI source programs and enables the MSI capability (all the vectors
 * the device supports), after which the device no longer uses INTx; a driver that enables MSI
 * itself through the capability gets the same sources. Handlers run at primary interrupt level;
 * drivers normally use an interrupt event source, which calls these methods for them.
 *
 * <p><b>Matching.</b> {@link #matchPropertyTable} implements {@code IOPCIMatch},
 * {@code IOPCIPrimaryMatch}, {@code IOPCISecondaryMatch} and {@code IOPCIClassMatch} with Apple's
 * grammar (see the PCI family page of the docs); {@link #compareName} implements {@code IONameMatch}
 * against the device-tree {@code name} and {@code compatible} names such as {@code pci8086,153a}.
 *
 * <p><b>Power.</b> The nub is its own power driver with two states, off (D3hot) and on (D0). On
 * system sleep the family saves the header and puts the function in D3hot, after the drivers above
 * it have slept; on wake it returns it to D0, which resets kextkit's devices, and restores the
 * header. A driver re-initialises its device registers in its own {@code setPowerState}.
 */
public class IOPCIDevice extends IOService implements ExplainsFamilyMatch {
    // ---- configuration space offsets (IOPCIDevice.h) ------------------------------------------
    /** Vendor ID (16 bits). */
    public static final int kIOPCIConfigVendorID = 0x00;
    /** Device ID (16 bits). */
    public static final int kIOPCIConfigDeviceID = 0x02;
    /** Command register (16 bits). */
    public static final int kIOPCIConfigCommand = 0x04;
    /** Status register (16 bits). */
    public static final int kIOPCIConfigStatus = 0x06;
    /** Revision ID (8 bits); the 32-bit register here holds the class code above it. */
    public static final int kIOPCIConfigRevisionID = 0x08;
    /** Class code (24 bits: programming interface, sub-class, base class). */
    public static final int kIOPCIConfigClassCode = 0x09;
    /** Cache line size. */
    public static final int kIOPCIConfigCacheLineSize = 0x0C;
    /** Latency timer. */
    public static final int kIOPCIConfigLatencyTimer = 0x0D;
    /** Header type; bit 7 set in a multi-function device. */
    public static final int kIOPCIConfigHeaderType = 0x0E;
    /** Built-in self test. */
    public static final int kIOPCIConfigBIST = 0x0F;
    /** Base address register 0. */
    public static final int kIOPCIConfigBaseAddress0 = 0x10;
    /** Base address register 1. */
    public static final int kIOPCIConfigBaseAddress1 = 0x14;
    /** Base address register 2. */
    public static final int kIOPCIConfigBaseAddress2 = 0x18;
    /** Base address register 3. */
    public static final int kIOPCIConfigBaseAddress3 = 0x1C;
    /** Base address register 4. */
    public static final int kIOPCIConfigBaseAddress4 = 0x20;
    /** Base address register 5. */
    public static final int kIOPCIConfigBaseAddress5 = 0x24;
    /** CardBus CIS pointer. */
    public static final int kIOPCIConfigCardBusCISPtr = 0x28;
    /** Subsystem vendor ID (16 bits). */
    public static final int kIOPCIConfigSubSystemVendorID = 0x2C;
    /** Subsystem ID (16 bits). */
    public static final int kIOPCIConfigSubSystemID = 0x2E;
    /** Expansion ROM base address. */
    public static final int kIOPCIConfigExpansionROMBase = 0x30;
    /** Offset of the first capability. */
    public static final int kIOPCIConfigCapabilitiesPtr = 0x34;
    /** Interrupt line. */
    public static final int kIOPCIConfigInterruptLine = 0x3C;
    /** Interrupt pin (1 = INTA#). */
    public static final int kIOPCIConfigInterruptPin = 0x3D;
    /** Minimum grant. */
    public static final int kIOPCIConfigMinimumGrant = 0x3E;
    /** Maximum latency. */
    public static final int kIOPCIConfigMaximumLatency = 0x3F;

    // ---- command register bits -----------------------------------------------------------------
    /** Command: respond to I/O-space accesses. */
    public static final int kIOPCICommandIOSpace = 0x0001;
    /** Command: respond to memory-space accesses. */
    public static final int kIOPCICommandMemorySpace = 0x0002;
    /** Command: may master the bus (DMA, MSI). */
    public static final int kIOPCICommandBusMaster = 0x0004;
    /** Command: parity error response. */
    public static final int kIOPCICommandParityError = 0x0040;
    /** Command: SERR# enable. */
    public static final int kIOPCICommandSERR = 0x0100;
    /** Command: INTx disable. */
    public static final int kIOPCICommandInterruptDisable = 0x0400;
    /** Status: the function has a capability list. */
    public static final int kIOPCIStatusCapabilities = 0x0010;
    /** Status: the function's INTx line is asserted. */
    public static final int kIOPCIStatusInterrupt = 0x0008;

    // ---- capability IDs -------------------------------------------------------------------------
    /** Power management. */
    public static final int kIOPCIPowerManagementCapability = 0x01;
    /** AGP. */
    public static final int kIOPCIAGPCapability = 0x02;
    /** Vital product data. */
    public static final int kIOPCIVitalProductDataCapability = 0x03;
    /** Slot identification. */
    public static final int kIOPCISlotIDCapability = 0x04;
    /** Message signalled interrupts. */
    public static final int kIOPCIMSICapability = 0x05;
    /** CompactPCI hot swap. */
    public static final int kIOPCICPCIHotswapCapability = 0x06;
    /** PCI-X. */
    public static final int kIOPCIPCIXCapability = 0x07;
    /** HyperTransport. */
    public static final int kIOPCILDTCapability = 0x08;
    /** Vendor specific. */
    public static final int kIOPCIVendorSpecificCapability = 0x09;
    /** Debug port. */
    public static final int kIOPCIDebugPortCapability = 0x0A;
    /** Standard hot-plug controller. */
    public static final int kIOPCIHotplugCapability = 0x0C;
    /** PCI Express. */
    public static final int kIOPCIPCIExpressCapability = 0x10;
    /** MSI-X. */
    public static final int kIOPCIMSIXCapability = 0x11;

    // ---- interrupt types --------------------------------------------------------------------------
    /** An edge-triggered source. */
    public static final int kIOInterruptTypeEdge = 0x00000000;
    /** A level-triggered source (INTx). */
    public static final int kIOInterruptTypeLevel = 0x00000001;
    /** A message-signalled source (MSI), ORed with the trigger type. */
    public static final int kIOInterruptTypePCIMessaged = 0x00010000;

    /** The power states of a PCI nub: 0 off (D3hot), 1 on (D0). */
    public static final int kIOPCIDeviceOffState = 0;
    /** The "on" power state ordinal. */
    public static final int kIOPCIDeviceOnState = 1;

    // x86 MSI address window (the local APIC's); the data value carries the vector.
    private static final int MSI_ADDRESS = 0xFEE0_0000;
    private static final int MSI_DATA_BASE = 0x40;
    private static final int PMCSR_OFFSET = 4;

    private final PciFunction function;
    private final PciIds savedIds;
    private final boolean x86;
    private final Source[] sources;
    private final int msiCapability;
    private final int firstIoBar;
    private final Object powerLock = new Object();
    private int[] savedHeader;

    /** A registered interrupt handler. */
    private static final class Source {
        IOInterruptAction handler;
        Object target;
        Object refCon;
        boolean enabled;
        // A message-signalled interrupt raised while its vector is masked is remembered (the
        // capability's pending bit) and delivered when the vector is enabled again.
        boolean pending;
    }

    /**
     * Create the nub of {@code function} with its device-tree properties, name and location. Only
     * the family's bridge (and tests of the family) create nubs.
     */
    protected IOPCIDevice(PciFunction function) {
        this.function = function;
        this.x86 = function.bus().isX86();
        this.savedIds = new PciIds(function.configRead32(kIOPCIConfigVendorID), function.configRead32(kIOPCIConfigRevisionID),
                function.configRead32(kIOPCIConfigSubSystemVendorID));
        this.sources = new Source[1 + function.model().msiVectorCount()];
        init(PciDeviceTree.properties(function));
        setName(PciDeviceTree.name(function.identity()));
        setLocation(PciDeviceTree.location(function));
        List<IODeviceMemory> ranges = new ArrayList<>();
        int io = -1;
        for (int i = 0; i < 6; i++) {
            PciBar bar = function.bar(i);
            if (bar != null) {
                ranges.add(IODeviceMemory.withRegisters(function.barAddress(i), bar.size(), function.barRegisters(i)));
                if (!bar.isMemory() && io < 0) {
                    io = i;
                }
            }
        }
        setDeviceMemory(ranges);
        this.firstIoBar = io;
        this.msiCapability = findPCICapability(kIOPCIMSICapability);
        function.setInterruptSink(new Sink());
    }

    // ---- configuration space --------------------------------------------------------------------

    /** Read 8 bits of configuration space at {@code offset}. */
    public int configRead8(int offset) {
        return function.configRead8(offset);
    }

    /** Read 16 bits of configuration space at {@code offset}. */
    public int configRead16(int offset) {
        return function.configRead16(offset);
    }

    /** Read 32 bits of configuration space at {@code offset}. */
    public int configRead32(int offset) {
        return function.configRead32(offset);
    }

    /** Write 8 bits of configuration space at {@code offset}. */
    public void configWrite8(int offset, int value) {
        function.configWrite8(offset, value);
    }

    /** Write 16 bits of configuration space at {@code offset}. */
    public void configWrite16(int offset, int value) {
        function.configWrite16(offset, value);
    }

    /** Write 32 bits of configuration space at {@code offset}. */
    public void configWrite32(int offset, int value) {
        function.configWrite32(offset, value);
    }

    /** Return the bus number. */
    public int getBusNumber() {
        return function.busNumber();
    }

    /** Return the device (slot) number. */
    public int getDeviceNumber() {
        return function.deviceNumber();
    }

    /** Return the function number. */
    public int getFunctionNumber() {
        return function.functionNumber();
    }

    /** Set or clear command-register bits; return whether they were all set before. */
    private boolean setCommandBits(int bits, boolean enable) {
        synchronized (powerLock) {
            int command = configRead16(kIOPCIConfigCommand);
            boolean was = (command & bits) == bits;
            configWrite16(kIOPCIConfigCommand, enable ? command | bits : command & ~bits);
            return was;
        }
    }

    /** Enable or disable memory-space decoding; return the previous state. */
    public boolean setMemoryEnable(boolean enable) {
        return setCommandBits(kIOPCICommandMemorySpace, enable);
    }

    /** Enable or disable I/O-space decoding; return the previous state. */
    public boolean setIOEnable(boolean enable) {
        return setCommandBits(kIOPCICommandIOSpace, enable);
    }

    /** Enable or disable bus mastering (DMA, MSI); return the previous state. */
    public boolean setBusMasterEnable(boolean enable) {
        return setCommandBits(kIOPCICommandBusMaster, enable);
    }

    /** Return the offset of the first capability with {@code capabilityID}, or 0 if the function has none. */
    public int findPCICapability(int capabilityID) {
        return findPCICapability(capabilityID, null);
    }

    /**
     * Find a capability in the list. If {@code offset} is given and non-zero, the search starts after
     * the capability at that offset (to find a second one); the offset found is stored in it.
     *
     * @return the capability's offset, or 0 if not found
     */
    public int findPCICapability(int capabilityID, SInt32 offset) {
        if ((configRead16(kIOPCIConfigStatus) & kIOPCIStatusCapabilities) == 0) {
            return 0;
        }
        int start = offset != null && offset.value != 0 ? configRead8(offset.value + 1) : configRead8(kIOPCIConfigCapabilitiesPtr);
        int at = start & 0xFC;
        // A list is at most 48 entries long in 256 bytes; the bound stops a looping list.
        for (int steps = 0; at >= 0x40 && steps < 48; steps++) {
            if (configRead8(at) == capabilityID) {
                if (offset != null) {
                    offset.value = at;
                }
                return at;
            }
            at = configRead8(at + 1) & 0xFC;
        }
        return 0;
    }

    // ---- device memory -----------------------------------------------------------------------------

    /**
     * Return the range of the BAR at configuration offset {@code reg} ({@link #kIOPCIConfigBaseAddress0}
     * to {@link #kIOPCIConfigBaseAddress5}), or {@code null} if the function has no BAR there.
     */
    public IODeviceMemory getDeviceMemoryWithRegister(int reg) {
        int index = barIndex(reg);
        if (index < 0 || function.bar(index) == null) {
            return null;
        }
        int position = 0;
        for (int i = 0; i < index; i++) {
            if (function.bar(i) != null) {
                position++;
            }
        }
        return getDeviceMemoryWithIndex(position);
    }

    /** Map the BAR at configuration offset {@code reg}, or return {@code null} if the function has no BAR there. */
    public IOMemoryMap mapDeviceMemoryWithRegister(int reg) {
        IODeviceMemory range = getDeviceMemoryWithRegister(reg);
        return range == null ? null : range.map();
    }

    private static int barIndex(int reg) {
        return reg >= kIOPCIConfigBaseAddress0 && reg <= kIOPCIConfigBaseAddress5 && (reg & 3) == 0
                ? (reg - kIOPCIConfigBaseAddress0) / 4 : -1;
    }

    private DeviceRegisters ioRange() {
        return firstIoBar < 0 ? null : function.barRegisters(firstIoBar);
    }

    /** Read 8 bits at {@code offset} in the first I/O BAR; all ones if the function has none or I/O is disabled. */
    public int ioRead8(int offset) {
        DeviceRegisters io = ioRange();
        return io == null ? 0xFF : io.read8(offset) & 0xFF;
    }

    /** Read 16 bits at {@code offset} in the first I/O BAR. */
    public int ioRead16(int offset) {
        DeviceRegisters io = ioRange();
        return io == null ? 0xFFFF : io.read16(offset) & 0xFFFF;
    }

    /** Read 32 bits at {@code offset} in the first I/O BAR. */
    public int ioRead32(int offset) {
        DeviceRegisters io = ioRange();
        return io == null ? 0xFFFF_FFFF : io.read32(offset);
    }

    /** Write 8 bits at {@code offset} in the first I/O BAR. */
    public void ioWrite8(int offset, int value) {
        DeviceRegisters io = ioRange();
        if (io != null) {
            io.write8(offset, (byte) value);
        }
    }

    /** Write 16 bits at {@code offset} in the first I/O BAR. */
    public void ioWrite16(int offset, int value) {
        DeviceRegisters io = ioRange();
        if (io != null) {
            io.write16(offset, (short) value);
        }
    }

    /** Write 32 bits at {@code offset} in the first I/O BAR. */
    public void ioWrite32(int offset, int value) {
        DeviceRegisters io = ioRange();
        if (io != null) {
            io.write32(offset, value);
        }
    }

    // ---- interrupts --------------------------------------------------------------------------------

    private boolean validSource(int source) {
        return source >= 0 && source < sources.length;
    }

    @Override
    public int registerInterrupt(int source, Object target, IOInterruptAction handler, Object refCon) {
        if (!validSource(source)) {
            return IOReturn.kIOReturnNoInterrupt;
        }
        if (handler == null) {
            return IOReturn.kIOReturnBadArgument;
        }
        synchronized (sources) {
            if (sources[source] != null) {
                return IOReturn.kIOReturnNoResources;
            }
            Source s = new Source();
            s.handler = handler;
            s.target = target;
            s.refCon = refCon;
            sources[source] = s;
        }
        return IOReturn.kIOReturnSuccess;
    }

    @Override
    public int unregisterInterrupt(int source) {
        if (!validSource(source)) {
            return IOReturn.kIOReturnNoInterrupt;
        }
        synchronized (sources) {
            if (sources[source] == null) {
                return IOReturn.kIOReturnNoInterrupt;
            }
            sources[source] = null;
        }
        return IOReturn.kIOReturnSuccess;
    }

    @Override
    public int enableInterrupt(int source) {
        if (!validSource(source)) {
            return IOReturn.kIOReturnNoInterrupt;
        }
        synchronized (sources) {
            if (sources[source] == null) {
                return IOReturn.kIOReturnNoInterrupt;
            }
            sources[source].enabled = true;
        }
        if (source > 0) {
            enableMsi();
            boolean wasPending;
            synchronized (sources) {
                wasPending = sources[source].pending;
                sources[source].pending = false;
            }
            if (wasPending) {
                deliver(source);
            }
        } else if (function.intxAsserted() && !function.msiEnabled()) {
            // A level interrupt still asserted when re-enabled fires again, as on a real controller.
            deliver(0);
        }
        return IOReturn.kIOReturnSuccess;
    }

    @Override
    public int disableInterrupt(int source) {
        if (!validSource(source)) {
            return IOReturn.kIOReturnNoInterrupt;
        }
        synchronized (sources) {
            if (sources[source] == null) {
                return IOReturn.kIOReturnNoInterrupt;
            }
            sources[source].enabled = false;
        }
        return IOReturn.kIOReturnSuccess;
    }

    @Override
    public int getInterruptType(int source, SInt32 interruptType) {
        if (!validSource(source)) {
            return IOReturn.kIOReturnNoInterrupt;
        }
        if (interruptType != null) {
            interruptType.value = source == 0 ? kIOInterruptTypeLevel : kIOInterruptTypeEdge | kIOInterruptTypePCIMessaged;
        }
        return IOReturn.kIOReturnSuccess;
    }

    // Program the MSI capability for every vector the device supports and turn it on.
    private void enableMsi() {
        if (msiCapability == 0 || function.msiEnabled()) {
            return;
        }
        int control = configRead16(msiCapability + 2);
        int capable = (control >>> 1) & 0x7;
        configWrite32(msiCapability + 4, MSI_ADDRESS);
        configWrite32(msiCapability + 8, 0);
        configWrite16(msiCapability + 12, MSI_DATA_BASE);
        configWrite16(msiCapability + 2, (control & ~0x70) | (capable << 4) | 0x1);
    }

    private void deliver(int index) {
        if (isInactive()) {
            return;
        }
        synchronized (sources) {
            Source s = sources[index];
            if (s == null || !s.enabled) {
                latchIfMessaged(s, index);
                return;
            }
        }
        KernelScheduler scheduler = function.bus().context().scheduler();
        scheduler.postInterrupt(getName() + "@" + getLocation() + " interrupt " + index, () -> {
            Source s;
            synchronized (sources) {
                s = sources[index];
                if (s == null || !s.enabled) {
                    latchIfMessaged(s, index);
                    return;
                }
            }
            s.handler.handleInterrupt(s.target, s.refCon, this, index);
        });
    }

    // Called with the sources locked: an MSI vector that is masked keeps the interrupt pending; a
    // level interrupt needs nothing, as the line stays asserted until the driver clears it.
    private static void latchIfMessaged(Source s, int index) {
        if (s != null && index > 0) {
            s.pending = true;
        }
    }

    /** Receives the function's interrupt lines. */
    private final class Sink implements PciInterruptSink {
        @Override
        public void intxChanged(boolean asserted) {
            if (asserted) {
                deliver(0);
            }
        }

        @Override
        public void msi(int vector) {
            if (vector + 1 < sources.length) {
                deliver(vector + 1);
            }
        }
    }

    // ---- matching ----------------------------------------------------------------------------------

    /**
     * Check the PCI keys of {@code table} against this function's IDs, as Apple's family does: all
     * keys present must match; on arm64 a primary {@code IOPCIMatch} hit adds 1000 to {@code score}.
     */
    @Override
    public boolean matchPropertyTable(Map<String, Object> table, SInt32 score) {
        PciMatcher.Result result = PciMatcher.match(table, savedIds, score == null ? 0 : score.value, x86, false);
        if (result.matched() && score != null) {
            score.value = result.score();
        }
        return result.matched();
    }

    @Override
    public List<MatchExplanation.KeyVerdict> explainFamilyMatch(Map<String, Object> table) {
        return PciMatcher.match(table, savedIds, 0, x86, true).verdicts();
    }

    /**
     * Compare an {@code IONameMatch} name with this nub's device-tree names (its {@code name} and each
     * {@code compatible} entry); a trailing {@code *} matches any suffix. On a match,
     * {@code matched[0]} (if given) receives the nub name that matched, for {@code IONameMatched}.
     */
    public boolean compareName(String name, String[] matched) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        List<String> candidates = new ArrayList<>();
        candidates.add(getName());
        candidates.addAll(PciDeviceTree.stringList(getProperty("compatible")));
        boolean prefix = name.endsWith("*");
        String stem = prefix ? name.substring(0, name.length() - 1) : name;
        for (String candidate : candidates) {
            if (prefix ? candidate.startsWith(stem) : candidate.equals(stem)) {
                if (matched != null && matched.length > 0) {
                    matched[0] = candidate;
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Compare an {@code IONameMatch} value (a string or a list of strings; any may match) with this
     * nub's names, as {@link #compareName(String, String[])} does for one.
     */
    public boolean compareNames(Object nameMatch, String[] matched) {
        if (nameMatch instanceof String) {
            return compareName((String) nameMatch, matched);
        }
        if (nameMatch instanceof List) {
            for (Object name : (List<?>) nameMatch) {
                if (name instanceof String && compareName((String) name, matched)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- power -------------------------------------------------------------------------------------

    /** Return the nub's power states: off (D3hot) and on (D0). */
    public static IOPMPowerState[] powerStates() {
        return new IOPMPowerState[] {
            new IOPMPowerState(IOPMPowerState.kIOPMPowerStateVersion1, 0, 0, 0),
            new IOPMPowerState(IOPMPowerState.kIOPMPowerStateVersion1, IOPMPowerState.kIOPMPowerOn,
                    IOPMPowerState.kIOPMPowerOn, IOPMPowerState.kIOPMPowerOn)};
    }

    /**
     * Move the function between D0 (ordinal 1) and D3hot (ordinal 0): going down saves the header
     * and sets D3hot; coming up sets D0 (which resets kextkit's devices) and restores the header.
     */
    @Override
    public int setPowerState(long powerStateOrdinal, IOService whatDevice) {
        int pm = findPCICapability(kIOPCIPowerManagementCapability);
        if (pm == 0 || !function.isPresent()) {
            return kIOPMAckImplied;
        }
        synchronized (powerLock) {
            int pmcsr = configRead16(pm + PMCSR_OFFSET);
            if (powerStateOrdinal == kIOPCIDeviceOffState && (pmcsr & 0x3) != 0x3) {
                savedHeader = new int[64];
                for (int i = 0; i < 64; i++) {
                    savedHeader[i] = configRead32(4 * i);
                }
                configWrite16(pm + PMCSR_OFFSET, (pmcsr & ~0x3) | 0x3);
            } else if (powerStateOrdinal >= kIOPCIDeviceOnState && (pmcsr & 0x3) != 0) {
                configWrite16(pm + PMCSR_OFFSET, pmcsr & ~0x3);
                restoreHeader();
            }
        }
        return kIOPMAckImplied;
    }

    // Restore BARs, the capabilities' writable registers, then the command register last, as the
    // family does, so decoding resumes only once the addresses are back.
    private void restoreHeader() {
        int[] saved = savedHeader;
        if (saved == null) {
            return;
        }
        for (int reg = kIOPCIConfigBaseAddress0; reg <= kIOPCIConfigBaseAddress5; reg += 4) {
            configWrite32(reg, saved[reg / 4]);
        }
        configWrite32(kIOPCIConfigCacheLineSize, saved[kIOPCIConfigCacheLineSize / 4]);
        configWrite32(kIOPCIConfigInterruptLine, saved[kIOPCIConfigInterruptLine / 4]);
        if (msiCapability != 0) {
            configWrite32(msiCapability + 4, saved[(msiCapability + 4) / 4]);
            configWrite32(msiCapability + 8, saved[(msiCapability + 8) / 4]);
            configWrite32(msiCapability + 12, saved[(msiCapability + 12) / 4]);
            configWrite16(msiCapability + 2, saved[msiCapability / 4] >>> 16);
        }
        configWrite16(kIOPCIConfigCommand, saved[kIOPCIConfigCommand / 4] & 0xFFFF);
        savedHeader = null;
    }

    @Override
    protected void free() {
        function.setInterruptSink(null);
        super.free();
    }
}
