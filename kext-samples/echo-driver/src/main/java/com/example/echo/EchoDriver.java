package com.example.echo;

import static com.example.echo.EchoRegisters.*;
import static org.kextkit.kit.iokit.IOLib.IOLog;
import static org.kextkit.kit.iokit.IOLib.clock_get_uptime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.zip.CRC32;
import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.kit.iokit.IOBufferMemoryDescriptor;
import org.kextkit.kit.iokit.IOCommandGate;
import org.kextkit.kit.iokit.IOFilterInterruptEventSource;
import org.kextkit.kit.iokit.IOInterruptEventSource;
import org.kextkit.kit.iokit.IOLocks;
import org.kextkit.kit.iokit.IOMemoryDescriptor;
import org.kextkit.kit.iokit.IOMemoryMap;
import org.kextkit.kit.iokit.IOPMPowerState;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.iokit.IOTimerEventSource;
import org.kextkit.kit.iokit.IOWorkLoop;
import org.kextkit.kit.libkern.KernelBuffer;
import org.kextkit.kit.libkern.SInt32;

/**
 * The driver of the echo DMA engine ({@code echo-dma}): a complete PCI driver in the shape I/O Kit
 * drivers have.
 *
 * <p>{@link #start} maps BAR 0, turns on memory decoding and bus mastering, creates its own work loop
 * with an interrupt source (a filter source on the MSI vector when the device has one, else INTx), a
 * watchdog timer and a command gate, allocates the command ring as a physically contiguous buffer
 * descriptor prepared for DMA, programs the engine, checks it with a DMA self-test, and joins power
 * management with two states. Clients call {@link #echo}, {@link #checksum} and {@link #echoAsync}
 * from any kernel thread; each request gets its own DMA buffers, goes through the gate into the ring,
 * and completes on the work loop when the engine interrupts.
 *
 * <p>A command that makes no progress for the watchdog interval ({@code EchoWatchdogMilliseconds} in
 * the personality, 100 ms by default) fails with {@code kIOReturnTimeout} and the engine is reset; the
 * commands queued behind it are sent again. On sleep the driver lets in-flight commands finish, holds
 * new ones, and turns the engine off; on wake it programs the engine again (leaving D3hot reset it) and
 * sends what it held. When the device is removed, every request completes with
 * {@code kIOReturnNoDevice}; on any other termination in-flight commands are given the watchdog
 * interval to finish. {@link #stop} then tears everything down in I/O Kit's order.
 */
public class EchoDriver extends IOService {
    /** Commands in the ring; one slot stays empty, so at most 15 are in flight. */
    public static final int RING_ENTRIES = 16;
    /** Bytes the start-time self-test sends through the engine. */
    public static final int SELF_TEST_LENGTH = 64;
    /** The personality key giving the watchdog interval in milliseconds. */
    public static final String WATCHDOG_KEY = "EchoWatchdogMilliseconds";
    /** The property holding the driver's counters. */
    public static final String STATISTICS_KEY = "EchoStatistics";

    private static final long DEFAULT_WATCHDOG_MS = 100;
    private static final int ALL_ONES = 0xFFFF_FFFF;
    private static final int OFF_STATE = 0;
    private static final int ON_STATE = 1;
    private static final IOPMPowerState[] POWER_STATES = {
        new IOPMPowerState(IOPMPowerState.kIOPMPowerStateVersion1, 0, 0, 0),
        new IOPMPowerState(IOPMPowerState.kIOPMPowerStateVersion1,
                IOPMPowerState.kIOPMPowerOn | IOPMPowerState.kIOPMDeviceUsable, IOPMPowerState.kIOPMPowerOn,
                IOPMPowerState.kIOPMPowerOn),
    };

    /** One client request and its DMA buffers; touched only with the gate held. */
    private static final class Request {
        final int opcode;
        final int length;
        final BiConsumer<Integer, byte[]> completion;
        IOBufferMemoryDescriptor source;
        IOBufferMemoryDescriptor destination;
        boolean done;
        int status;
        int result;
        byte[] output;

        Request(int opcode, int length, BiConsumer<Integer, byte[]> completion) {
            this.opcode = opcode;
            this.length = length;
            this.completion = completion;
        }
    }

    private IOPCIDevice pci;
    private IOMemoryMap registers;
    private IOWorkLoop workLoop;
    private IOFilterInterruptEventSource interruptSource;
    private IOTimerEventSource watchdog;
    private volatile IOCommandGate gate;
    private IOBufferMemoryDescriptor ring;
    private long ringPhysical;
    private long watchdogMillis = DEFAULT_WATCHDOG_MS;
    private int interruptIndex;
    private boolean joinedPowerTree;

    // The rest is touched only with the work-loop gate held.
    private final Request[] inFlight = new Request[RING_ENTRIES];
    private final ArrayDeque<Request> held = new ArrayDeque<>();
    private final Object drained = new Object();
    private int ringHead;
    private int ringTail;
    private int outstanding;
    private boolean engineRunning;
    private boolean accepting;
    private long commandsCompleted;
    private long commandsFailed;
    private long interruptsHandled;
    private long watchdogTimeouts;
    private final List<Long> powerStateCalls = new ArrayList<>();

    /** Created by I/O Kit from the personality. */
    public EchoDriver() {
    }

    // ---- start -----------------------------------------------------------------------------------

    @Override
    public boolean start(IOService provider) {
        if (!super.start(provider)) {
            return false;
        }
        if (!(provider instanceof IOPCIDevice)) {
            IOLog("EchoDriver: provider %s is not an IOPCIDevice", provider.getName());
            return false;
        }
        pci = (IOPCIDevice) provider;
        if (getProperty(WATCHDOG_KEY) instanceof Number interval && interval.longValue() > 0) {
            watchdogMillis = interval.longValue();
        }
        if (!setUpDevice() || !setUpWorkLoop() || !setUpRing() || !startEngine() || !selfTest()) {
            tearDown();
            return false;
        }
        PMinit();
        pci.joinPMtree(this);
        joinedPowerTree = true;
        registerPowerDriver(this, POWER_STATES, POWER_STATES.length);
        publishStatistics();
        registerService();
        IOLog("EchoDriver: started on %s@%s (bus %d, device %d): %d-entry ring at physical 0x%x, %s interrupt (index %d), "
                + "watchdog %d ms", pci.getName(), pci.getLocation(), pci.getBusNumber(), pci.getDeviceNumber(),
                RING_ENTRIES, ringPhysical, interruptIndex > 0 ? "MSI" : "INTx", interruptIndex, watchdogMillis);
        return true;
    }

    private boolean setUpDevice() {
        pci.setMemoryEnable(true);
        pci.setBusMasterEnable(true);
        registers = pci.mapDeviceMemoryWithRegister(IOPCIDevice.kIOPCIConfigBaseAddress0);
        if (registers == null) {
            IOLog("EchoDriver: %s@%s has no BAR 0", pci.getName(), pci.getLocation());
            return false;
        }
        int id = registers.read32(ID);
        if (id != ID_VALUE) {
            IOLog("EchoDriver: BAR 0 ID register reads 0x%08x, expected 0x%08x; not an echo engine", id, ID_VALUE);
            return false;
        }
        return true;
    }

    private boolean setUpWorkLoop() {
        workLoop = IOWorkLoop.workLoop();
        interruptIndex = messageSignalledIndex();
        interruptSource = IOFilterInterruptEventSource.filterInterruptEventSource(this,
                (owner, sender, count) -> interruptOccurred(count), (owner, sender) -> isOurInterrupt(), pci,
                interruptIndex);
        if (interruptSource == null || workLoop.addEventSource(interruptSource) != IOReturn.kIOReturnSuccess) {
            IOLog("EchoDriver: could not register interrupt %d of %s@%s", interruptIndex, pci.getName(), pci.getLocation());
            return false;
        }
        watchdog = IOTimerEventSource.timerEventSource(this, (owner, sender) -> watchdogFired());
        gate = IOCommandGate.commandGate(this);
        return workLoop.addEventSource(watchdog) == IOReturn.kIOReturnSuccess
                && workLoop.addEventSource(gate) == IOReturn.kIOReturnSuccess;
    }

    /** Return the first MSI source of the nub, else 0 (INTx), as Apple's PCI drivers look it up. */
    private int messageSignalledIndex() {
        SInt32 type = new SInt32(0);
        for (int index = 0; pci.getInterruptType(index, type) == IOReturn.kIOReturnSuccess; index++) {
            if ((type.value & IOPCIDevice.kIOInterruptTypePCIMessaged) != 0) {
                return index;
            }
        }
        return 0;
    }

    private boolean setUpRing() {
        // The engine takes one base address and walks the ring, so the ring must be physically contiguous.
        ring = IOBufferMemoryDescriptor.withOptions(IOMemoryDescriptor.kIODirectionInOut
                | IOBufferMemoryDescriptor.kIOMemoryPhysicallyContiguous, (long) RING_ENTRIES * COMMAND_SIZE, 4096);
        if (ring == null || ring.prepare() != IOReturn.kIOReturnSuccess) {
            IOLog("EchoDriver: no memory for the command ring");
            return false;
        }
        ringPhysical = ring.getPhysicalSegment(0, null);
        return true;
    }

    private boolean startEngine() {
        int result = gate.runAction((owner, a0, a1, a2, a3) -> {
            if (!programEngine()) {
                return IOReturn.kIOReturnNoDevice;
            }
            accepting = true;
            return IOReturn.kIOReturnSuccess;
        });
        if (result != IOReturn.kIOReturnSuccess) {
            IOLog("EchoDriver: the engine did not come up");
            return false;
        }
        interruptSource.enable();
        return true;
    }

    /** Reset the engine and give it the ring; with the gate held. Return false if the device is gone. */
    private boolean programEngine() {
        registers.write32(CONTROL, CONTROL_RESET);
        if (registers.read32(ID) != ID_VALUE) {
            engineRunning = false;
            return false;
        }
        ring.getBytesNoCopy().fill(0, (long) RING_ENTRIES * COMMAND_SIZE, (byte) 0);
        registers.write32(RING_BASE_LO, (int) ringPhysical);
        registers.write32(RING_BASE_HI, (int) (ringPhysical >>> 32));
        registers.write32(RING_SIZE, RING_ENTRIES);
        ringHead = 0;
        ringTail = 0;
        registers.write32(CONTROL, CONTROL_ENABLE | CONTROL_INT_ENABLE);
        engineRunning = true;
        return true;
    }

    /** Send a pattern through the engine and back, and checksum it, before declaring the device usable. */
    private boolean selfTest() {
        byte[] pattern = new byte[SELF_TEST_LENGTH];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 37 + 11);
        }
        long began = clock_get_uptime();
        byte[] echoed = new byte[pattern.length];
        int echo = echo(pattern, echoed);
        int[] crc = new int[1];
        int sum = echo == IOReturn.kIOReturnSuccess ? checksum(pattern, crc) : echo;
        CRC32 expected = new CRC32();
        expected.update(pattern);
        if (echo != IOReturn.kIOReturnSuccess || sum != IOReturn.kIOReturnSuccess || !Arrays.equals(pattern, echoed)
                || crc[0] != (int) expected.getValue()) {
            IOLog("EchoDriver: DMA self-test failed (echo 0x%08x, checksum 0x%08x, CRC-32 0x%08x, expected 0x%08x)",
                    echo, sum, crc[0], (int) expected.getValue());
            return false;
        }
        IOLog("EchoDriver: DMA self-test passed: echoed %d bytes through the engine and back, CRC-32 0x%08x matches, "
                + "%d ns of kernel time", pattern.length, crc[0], clock_get_uptime() - began);
        return true;
    }

    /** Drivers that create their own work loop return it here. */
    @Override
    public IOWorkLoop getWorkLoop() {
        return workLoop;
    }

    // ---- the client API ----------------------------------------------------------------------------

    /**
     * Copy {@code data} through the engine by DMA into {@code result} (at least as long) and wait for
     * it; call from a kernel thread, never from interrupt level.
     *
     * @return {@code kIOReturnSuccess}, {@code kIOReturnBadArgument}, {@code kIOReturnNoMemory},
     *     {@code kIOReturnTimeout} (the watchdog gave up), {@code kIOReturnDMAError},
     *     {@code kIOReturnNoDevice} (removed or stopping) or {@code kIOReturnAborted}
     */
    public int echo(byte[] data, byte[] result) {
        if (data == null || result == null || result.length < data.length) {
            return IOReturn.kIOReturnBadArgument;
        }
        Request request = new Request(OP_COPY, data.length, null);
        int status = runAndWait(request, data);
        if (status == IOReturn.kIOReturnSuccess) {
            System.arraycopy(request.output, 0, result, 0, data.length);
        }
        return status;
    }

    /** Compute the CRC-32 of {@code data} on the engine into {@code crc[0]} and wait for it; see {@link #echo}. */
    public int checksum(byte[] data, int[] crc) {
        if (data == null || crc == null || crc.length < 1) {
            return IOReturn.kIOReturnBadArgument;
        }
        Request request = new Request(OP_CHECKSUM, data.length, null);
        int status = runAndWait(request, data);
        if (status == IOReturn.kIOReturnSuccess) {
            crc[0] = request.result;
        }
        return status;
    }

    /**
     * Queue a copy of {@code data} and return at once; {@code completion} receives the status and the
     * bytes that came back (or {@code null}) on the work loop when the engine finishes, the watchdog
     * gives up, or the driver stops.
     *
     * @return {@code kIOReturnSuccess} if queued (the completion will be called exactly once), else the
     *     error, and the completion is not called
     */
    public int echoAsync(byte[] data, BiConsumer<Integer, byte[]> completion) {
        if (data == null || completion == null) {
            return IOReturn.kIOReturnBadArgument;
        }
        IOCommandGate g = gate;
        if (g == null) {
            return IOReturn.kIOReturnNoDevice;
        }
        Request request = new Request(OP_COPY, data.length, completion);
        return g.runAction((owner, a0, a1, a2, a3) -> submit(request, data));
    }

    /** Return the commands given to the engine and not yet completed. */
    public int outstandingCommands() {
        IOCommandGate g = gate;
        if (g == null) {
            return 0;
        }
        int[] count = new int[1];
        g.runAction((owner, a0, a1, a2, a3) -> {
            count[0] = outstanding;
            return IOReturn.kIOReturnSuccess;
        });
        return count[0];
    }

    /** Return every power state {@code setPowerState} was asked for, in order. */
    public synchronized List<Long> powerStateCalls() {
        return List.copyOf(powerStateCalls);
    }

    private int runAndWait(Request request, byte[] data) {
        IOCommandGate g = gate;
        if (g == null) {
            return IOReturn.kIOReturnNoDevice;
        }
        return g.runAction((owner, a0, a1, a2, a3) -> {
            int queued = submit(request, data);
            if (queued != IOReturn.kIOReturnSuccess) {
                return queued;
            }
            while (!request.done) {
                g.commandSleep(request, IOLocks.THREAD_UNINT);
            }
            return request.status;
        });
    }

    /** Give {@code request} DMA buffers and queue it; with the gate held. */
    private int submit(Request request, byte[] data) {
        if (!accepting) {
            return IOReturn.kIOReturnNoDevice;
        }
        if (data.length == 0 || data.length > MAX_LENGTH) {
            return IOReturn.kIOReturnBadArgument;
        }
        int contiguous = IOBufferMemoryDescriptor.kIOMemoryPhysicallyContiguous;
        request.source = IOBufferMemoryDescriptor.withOptions(IOMemoryDescriptor.kIODirectionOut | contiguous, data.length, 64);
        if (request.opcode == OP_COPY) {
            request.destination = IOBufferMemoryDescriptor.withOptions(IOMemoryDescriptor.kIODirectionIn | contiguous,
                    data.length, 64);
        }
        if (request.source == null || (request.opcode == OP_COPY && request.destination == null)) {
            releaseBuffers(request, false);
            return IOReturn.kIOReturnNoMemory;
        }
        request.source.writeBytes(0, data, 0, data.length);
        request.source.prepare();
        if (request.destination != null) {
            request.destination.prepare();
        }
        held.addLast(request);
        pump();
        return IOReturn.kIOReturnSuccess;
    }

    /** Move held requests into free ring slots and ring the doorbell; with the gate held. */
    private void pump() {
        boolean queued = false;
        while (engineRunning && !held.isEmpty() && outstanding < RING_ENTRIES - 1) {
            Request request = held.pollFirst();
            writeCommand(ringTail, request);
            inFlight[ringTail] = request;
            ringTail = (ringTail + 1) & (RING_ENTRIES - 1);
            outstanding++;
            queued = true;
        }
        if (queued) {
            registers.write32(RING_TAIL, ringTail);
            if (!watchdog.isArmed()) {
                watchdog.setTimeoutMS(watchdogMillis);
            }
        }
    }

    private void writeCommand(int slot, Request request) {
        KernelBuffer entry = ring.getBytesNoCopy().at((long) slot * COMMAND_SIZE);
        entry.write32(CMD_OPCODE, request.opcode);
        entry.write32(CMD_LENGTH, request.length);
        entry.write64(CMD_SOURCE, request.source.getPhysicalSegment(0, null));
        entry.write64(CMD_DESTINATION, request.destination == null ? 0 : request.destination.getPhysicalSegment(0, null));
        entry.write32(CMD_RESULT, 0);
        entry.write32(CMD_STATUS, 0);
    }

    // ---- completion: interrupts and the watchdog ------------------------------------------------------

    /** The filter, at primary interrupt level: ours if the engine has a cause set (a removed device reads all ones). */
    private boolean isOurInterrupt() {
        int cause = registers.read32(INT_STATUS);
        return cause != 0 && cause != ALL_ONES;
    }

    /** The interrupt action, on the work loop with the gate held. */
    private void interruptOccurred(int count) {
        int cause = registers.read32(INT_STATUS);
        if (cause == ALL_ONES || !engineRunning) {
            return;
        }
        interruptsHandled++;
        registers.write32(INT_STATUS, cause);
        reapCompleted();
        if ((cause & INT_ERROR) != 0 && (registers.read32(STATUS) & STATUS_HALTED) != 0) {
            IOLog("EchoDriver: the engine halted on a DMA error at command %d; resetting it", ringHead);
            recover(IOReturn.kIOReturnDMAError);
        }
        afterProgress();
    }

    /** Complete every command the engine has moved its head past. */
    private void reapCompleted() {
        int engineHead = registers.read32(RING_HEAD);
        if (engineHead == ALL_ONES) {
            return;
        }
        KernelBuffer entries = ring.getBytesNoCopy();
        while (outstanding > 0 && ringHead != engineHead) {
            Request request = inFlight[ringHead];
            inFlight[ringHead] = null;
            long entry = (long) ringHead * COMMAND_SIZE;
            int status = switch (entries.read32(entry + CMD_STATUS)) {
                case COMMAND_OK -> IOReturn.kIOReturnSuccess;
                case COMMAND_BAD -> IOReturn.kIOReturnBadArgument;
                default -> IOReturn.kIOReturnDMAError;
            };
            ringHead = (ringHead + 1) & (RING_ENTRIES - 1);
            outstanding--;
            finish(request, status, entries.read32(entry + CMD_RESULT));
        }
    }

    /** Re-arm or cancel the watchdog, refill the ring and wake a waiting drain; with the gate held. */
    private void afterProgress() {
        if (outstanding == 0) {
            watchdog.cancelTimeout();
            gate.commandWakeup(drained, false);
        } else {
            watchdog.setTimeoutMS(watchdogMillis);
        }
        pump();
        publishStatistics();
    }

    /** The watchdog, with the gate held: the command at the head made no progress for the whole interval. */
    private void watchdogFired() {
        if (outstanding == 0 || !engineRunning) {
            return;
        }
        reapCompleted();
        if (outstanding > 0 && registers.read32(ID) == ID_VALUE) {
            watchdogTimeouts++;
            IOLog("EchoDriver: command %d made no progress for %d ms (engine head %d, %d in flight); resetting the engine",
                    ringHead, watchdogMillis, registers.read32(RING_HEAD), outstanding);
            recover(IOReturn.kIOReturnTimeout);
        }
        afterProgress();
    }

    /**
     * Fail the command at the head with {@code status}, put the ones behind it back at the front of
     * the queue, reset the engine and send them again; with the gate held.
     */
    private void recover(int status) {
        List<Request> behind = new ArrayList<>();
        for (int i = 0; outstanding > 0; i++) {
            int slot = (ringHead + i) & (RING_ENTRIES - 1);
            Request request = inFlight[slot];
            inFlight[slot] = null;
            outstanding--;
            if (i == 0) {
                finish(request, status, 0);
            } else {
                behind.add(request);
            }
        }
        for (int i = behind.size() - 1; i >= 0; i--) {
            held.addFirst(behind.get(i));
        }
        if (!programEngine()) {
            IOLog("EchoDriver: the engine did not come back after a reset");
        }
    }

    /** Complete {@code request}: copy the result out, release its DMA buffers, tell the client. */
    private void finish(Request request, int status, int result) {
        if (status == IOReturn.kIOReturnSuccess && request.destination != null) {
            request.output = new byte[request.length];
            request.destination.readBytes(0, request.output, 0, request.length);
        }
        releaseBuffers(request, true);
        request.status = status;
        request.result = result;
        request.done = true;
        if (status == IOReturn.kIOReturnSuccess) {
            commandsCompleted++;
        } else {
            commandsFailed++;
        }
        if (request.completion != null) {
            request.completion.accept(status, request.output);
        }
        gate.commandWakeup(request, false);
    }

    private static void releaseBuffers(Request request, boolean prepared) {
        for (IOBufferMemoryDescriptor buffer : new IOBufferMemoryDescriptor[] {request.source, request.destination}) {
            if (buffer != null) {
                if (prepared) {
                    buffer.complete();
                }
                buffer.release();
            }
        }
        request.source = null;
        request.destination = null;
    }

    /** Fail every request not yet completed, held or in flight, with {@code status}; with the gate held. */
    private void failAll(int status) {
        while (outstanding > 0) {
            Request request = inFlight[ringHead];
            inFlight[ringHead] = null;
            ringHead = (ringHead + 1) & (RING_ENTRIES - 1);
            outstanding--;
            finish(request, status, 0);
        }
        while (!held.isEmpty()) {
            finish(held.pollFirst(), status, 0);
        }
        watchdog.cancelTimeout();
        gate.commandWakeup(drained, false);
        publishStatistics();
    }

    private void publishStatistics() {
        Map<String, Object> statistics = new LinkedHashMap<>();
        statistics.put("CommandsCompleted", commandsCompleted);
        statistics.put("CommandsFailed", commandsFailed);
        statistics.put("Interrupts", interruptsHandled);
        statistics.put("WatchdogTimeouts", watchdogTimeouts);
        setProperty(STATISTICS_KEY, statistics);
    }

    /** Wait, with the gate held, up to twice the watchdog interval for the in-flight commands to finish. */
    private void drainInFlight() {
        long deadline = clock_get_uptime() + 2 * watchdogMillis * 1_000_000L;
        while (outstanding > 0 && engineRunning) {
            if (gate.commandSleep(drained, deadline, IOLocks.THREAD_UNINT) == IOLocks.THREAD_TIMED_OUT) {
                break;
            }
        }
    }

    // ---- power -------------------------------------------------------------------------------------

    /**
     * Go to sleep (state 0): let in-flight commands finish, hold new ones, turn the engine and its
     * interrupt off. Wake (state 1): program the engine again and send what was held.
     */
    @Override
    public int setPowerState(long powerStateOrdinal, IOService whatDevice) {
        synchronized (this) {
            powerStateCalls.add(powerStateOrdinal);
        }
        IOCommandGate g = gate;
        if (g == null) {
            return kIOPMAckImplied;
        }
        g.runAction((owner, a0, a1, a2, a3) -> {
            if (powerStateOrdinal == OFF_STATE) {
                powerDown();
            } else if (powerStateOrdinal == ON_STATE) {
                powerUp();
            }
            return IOReturn.kIOReturnSuccess;
        });
        return kIOPMAckImplied;
    }

    private void powerDown() {
        if (!engineRunning) {
            return;
        }
        drainInFlight();
        // What the engine did not finish is sent again after wake, when the engine has been reset.
        List<Request> unfinished = new ArrayList<>();
        while (outstanding > 0) {
            unfinished.add(inFlight[ringHead]);
            inFlight[ringHead] = null;
            ringHead = (ringHead + 1) & (RING_ENTRIES - 1);
            outstanding--;
        }
        for (int i = unfinished.size() - 1; i >= 0; i--) {
            held.addFirst(unfinished.get(i));
        }
        engineRunning = false;
        watchdog.cancelTimeout();
        interruptSource.disable();
        registers.write32(CONTROL, 0);
        IOLog("EchoDriver: engine off for sleep; %d command(s) held until wake", held.size());
    }

    private void powerUp() {
        if (engineRunning) {
            return;
        }
        // Leaving D3hot reset the engine: it has forgotten the ring and the interrupt enable.
        if (!programEngine()) {
            IOLog("EchoDriver: the engine did not come back after wake");
            return;
        }
        interruptSource.enable();
        IOLog("EchoDriver: engine on after wake; sending %d held command(s)", held.size());
        pump();
    }

    // ---- termination and stop ------------------------------------------------------------------------

    /** Termination has begun: accept no new requests; if the device is gone, fail everything now. */
    @Override
    public boolean willTerminate(IOService provider, int options) {
        IOCommandGate g = gate;
        if (g != null) {
            g.runAction((owner, a0, a1, a2, a3) -> {
                accepting = false;
                if (registers.read32(ID) != ID_VALUE) {
                    IOLog("EchoDriver: device removed with %d command(s) in flight and %d queued; failing them",
                            outstanding, held.size());
                    engineRunning = false;
                    failAll(IOReturn.kIOReturnNoDevice);
                }
                return IOReturn.kIOReturnSuccess;
            });
        }
        return super.willTerminate(provider, options);
    }

    /**
     * Before the stop: give in-flight commands the watchdog interval to finish (a driver on a bus
     * that completes the stop asynchronously would defer instead), then fail what is left.
     */
    @Override
    public boolean didTerminate(IOService provider, int options, boolean[] defer) {
        IOCommandGate g = gate;
        if (g != null) {
            g.runAction((owner, a0, a1, a2, a3) -> {
                drainInFlight();
                failAll(IOReturn.kIOReturnAborted);
                return IOReturn.kIOReturnSuccess;
            });
        }
        return super.didTerminate(provider, options, defer);
    }

    @Override
    public void stop(IOService provider) {
        IOLog("EchoDriver: stopping on %s@%s after %d command(s), %d failed, %d interrupt(s)", pci.getName(),
                pci.getLocation(), commandsCompleted, commandsFailed, interruptsHandled);
        if (joinedPowerTree) {
            PMstop();
            joinedPowerTree = false;
        }
        tearDown();
        super.stop(provider);
    }

    /**
     * Undo {@link #start}, in I/O Kit's order: quiesce the engine, then for each event source disable,
     * cancel (timers), remove and release; complete and release the DMA memory; unmap the registers;
     * turn bus mastering off; release the work loop last.
     */
    private void tearDown() {
        IOCommandGate g = gate;
        if (g != null) {
            g.runAction((owner, a0, a1, a2, a3) -> {
                accepting = false;
                if (engineRunning && registers.read32(ID) == ID_VALUE) {
                    registers.write32(CONTROL, 0);
                }
                engineRunning = false;
                failAll(IOReturn.kIOReturnAborted);
                return IOReturn.kIOReturnSuccess;
            });
        }
        if (interruptSource != null) {
            interruptSource.disable();
            workLoop.removeEventSource(interruptSource);
            interruptSource.release();
            interruptSource = null;
        }
        if (watchdog != null) {
            watchdog.cancelTimeout();
            watchdog.disable();
            workLoop.removeEventSource(watchdog);
            watchdog.release();
            watchdog = null;
        }
        if (g != null) {
            gate = null;
            g.disable();
            workLoop.removeEventSource(g);
            g.release();
        }
        if (ring != null) {
            ring.complete();
            ring.release();
            ring = null;
        }
        if (registers != null) {
            registers.release();
            registers = null;
        }
        if (pci != null) {
            pci.setBusMasterEnable(false);
        }
        if (workLoop != null) {
            workLoop.release();
            workLoop = null;
        }
    }
}
