package org.kextkit.kit.iokit;

/** The I/O Kit return codes ({@code IOReturn.h}): {@code 0xe0000000 | code}. */
public final class IOReturn {
    private IOReturn() {
    }

    /** OK. */
    public static final int kIOReturnSuccess = 0;
    /** General error. */
    public static final int kIOReturnError = 0xe00002bc;
    /** Can't allocate memory. */
    public static final int kIOReturnNoMemory = 0xe00002bd;
    /** Resource shortage. */
    public static final int kIOReturnNoResources = 0xe00002be;
    /** No such device. */
    public static final int kIOReturnNoDevice = 0xe00002c0;
    /** Invalid argument. */
    public static final int kIOReturnBadArgument = 0xe00002c2;
    /** Exclusive access and device already open. */
    public static final int kIOReturnExclusiveAccess = 0xe00002c5;
    /** Unsupported function. */
    public static final int kIOReturnUnsupported = 0xe00002c7;
    /** Internal error. */
    public static final int kIOReturnInternalError = 0xe00002c9;
    /** General I/O error. */
    public static final int kIOReturnIOError = 0xe00002ca;
    /** Can't acquire lock. */
    public static final int kIOReturnCannotLock = 0xe00002cc;
    /** Device not open. */
    public static final int kIOReturnNotOpen = 0xe00002cd;
    /** The alignment is wrong. */
    public static final int kIOReturnNotAligned = 0xe00002d0;
    /** Device still open. */
    public static final int kIOReturnStillOpen = 0xe00002d2;
    /** DMA failure. */
    public static final int kIOReturnDMAError = 0xe00002d4;
    /** Device busy. */
    public static final int kIOReturnBusy = 0xe00002d5;
    /** I/O timeout. */
    public static final int kIOReturnTimeout = 0xe00002d6;
    /** Device offline. */
    public static final int kIOReturnOffline = 0xe00002d7;
    /** Not ready. */
    public static final int kIOReturnNotReady = 0xe00002d8;
    /** Device not attached. */
    public static final int kIOReturnNotAttached = 0xe00002d9;
    /** No interrupt attached. */
    public static final int kIOReturnNoInterrupt = 0xe00002df;
    /** Not permitted. */
    public static final int kIOReturnNotPermitted = 0xe00002e2;
    /** No power to device. */
    public static final int kIOReturnNoPower = 0xe00002e3;
    /** Data underrun. */
    public static final int kIOReturnUnderrun = 0xe00002e7;
    /** Data overrun. */
    public static final int kIOReturnOverrun = 0xe00002e8;
    /** The device is not working properly. */
    public static final int kIOReturnDeviceError = 0xe00002e9;
    /** Operation aborted. */
    public static final int kIOReturnAborted = 0xe00002eb;
    /** Device not responding. */
    public static final int kIOReturnNotResponding = 0xe00002ed;
    /** Data was not found. */
    public static final int kIOReturnNotFound = 0xe00002f0;
    /** Should never be seen. */
    public static final int kIOReturnInvalid = 0xe0000001;
}
