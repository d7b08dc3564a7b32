package org.kextkit.benchmarks;

import java.util.concurrent.TimeUnit;
import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.hardware.pci.PciHardware;
import org.kextkit.hardware.pci.models.EchoDmaDevice;
import org.kextkit.kit.internal.DeviceRegisters;
import org.kextkit.kit.iokit.IODeviceMemory;
import org.kextkit.kit.iokit.IOLib;
import org.kextkit.kit.iokit.IOMemoryMap;
import org.kextkit.kit.libkern.KernelBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measure a driver's register and memory accesses on one thread (target: at least 20 million
 * accesses per second through a map): through an {@code IOMemoryMap} of {@code IODeviceMemory}
 * over a minimal register file; through the PCI path a driver takes
 * ({@code IOPCIDevice.mapDeviceMemoryWithRegister(kIOPCIConfigBaseAddress0)}, the BAR, the command
 * register's decode gate, the echo DMA engine's register handler); and through a checked
 * {@code KernelBuffer} from {@code IOMalloc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RegisterAccessBenchmark {
    private IOMemoryMap registers;
    private IOMemoryMap pciBar;
    private KernelBuffer memory;
    private int offset;

    /** A register file as simple as a device model's: a status register that counts reads. */
    private static final class CountingRegisters implements DeviceRegisters {
        private final int[] words = new int[64];

        @Override
        public byte read8(long at) {
            return (byte) words[(int) (at >>> 2)];
        }

        @Override
        public short read16(long at) {
            return (short) words[(int) (at >>> 2)];
        }

        @Override
        public int read32(long at) {
            return words[(int) (at >>> 2)]++;
        }

        @Override
        public long read64(long at) {
            return words[(int) (at >>> 2)];
        }

        @Override
        public void write8(long at, byte value) {
            words[(int) (at >>> 2)] = value;
        }

        @Override
        public void write16(long at, short value) {
            words[(int) (at >>> 2)] = value;
        }

        @Override
        public void write32(long at, int value) {
            words[(int) (at >>> 2)] = value;
        }

        @Override
        public void write64(long at, long value) {
            words[(int) (at >>> 2)] = (int) value;
        }
    }

    @Setup
    public void map() {
        registers = IODeviceMemory.withRegisters(0xc0000000L, 256, new CountingRegisters()).map();
        memory = IOLib.IOMalloc(256);

        PciHardware bus = StandaloneHardware.newBus();
        bus.plug(1, 0, new EchoDmaDevice(), null);
        IOPCIDevice echo = StandaloneHardware.enumerate(bus).get(0);
        echo.setMemoryEnable(true);
        pciBar = echo.mapDeviceMemoryWithRegister(IOPCIDevice.kIOPCIConfigBaseAddress0);
        pciBar.write32(EchoDmaDevice.SCRATCH, 0x5a5a);
        if (pciBar.read32(EchoDmaDevice.SCRATCH) != 0x5a5a || pciBar.read32(EchoDmaDevice.ID) != EchoDmaDevice.ID_VALUE) {
            throw new IllegalStateException("the echo engine's BAR 0 does not answer through the map");
        }
    }

    /** One 32-bit register read and one write, the pattern of an interrupt action. */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(2)
    public int mappedRegisterReadWrite() {
        offset = (offset + 4) & 0xfc;
        int status = registers.read32(offset);
        registers.write32(offset, status | 1);
        return status;
    }

    /**
     * One 32-bit read and one write of the echo engine's SCRATCH register through the driver's map
     * of BAR 0: the map's bounds check, the function's decode gate, the model's register handler.
     */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(2)
    public int pciBarReadWrite() {
        int value = pciBar.read32(EchoDmaDevice.SCRATCH);
        pciBar.write32(EchoDmaDevice.SCRATCH, value + 1);
        return value;
    }

    /** One checked 32-bit read and one write of IOMalloc memory. */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(2)
    public int kernelBufferReadWrite() {
        offset = (offset + 4) & 0xfc;
        int value = memory.read32(offset);
        memory.write32(offset, value + 1);
        return value;
    }
}
