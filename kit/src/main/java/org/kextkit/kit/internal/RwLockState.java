package org.kextkit.kit.internal;

import java.util.HashMap;
import java.util.Map;
import org.kextkit.kit.libkern.KernelBuffer;

/**
 * A reader-writer lock ({@code IORWLock}, {@code lck_rw_t}): many readers or one writer; a waiting
 * writer holds back new readers, except a thread that already reads (which XNU would deadlock; the
 * kernel lets it through and records it, so a checker can warn).
 */
public final class RwLockState extends LockState {
    /** {@code LCK_RW_TYPE_SHARED}. */
    public static final int SHARED = 1;
    /** {@code LCK_RW_TYPE_EXCLUSIVE}. */
    public static final int EXCLUSIVE = 2;

    // guarded by this; the volatile copies let wait conditions read without the monitor
    private final Map<Thread, Integer> readers = new HashMap<>();
    private volatile int readerCount;
    private volatile Thread writer;
    private volatile int writersWaiting;
    private volatile boolean upgradeWaiting;
    private volatile boolean recursiveRead;
    private volatile ExecutionContext acquiredIn;

    /** Create a reader-writer lock record; see {@link LockState#LockState}. */
    public RwLockState(Kind kind, KernelServices services, KernelBuffer storage, String groupName, Object group,
                       Class<?> caller) {
        super(kind, services, storage, groupName, group, caller);
    }

    /** Take the lock for reading. */
    public void lockShared(String function) {
        checkUsable(function);
        if (checks.active()) {
            checks.blocking(function);
        }
        Thread me = Thread.currentThread();
        if (writer == me) {
            panic(String.format("%s: RW lock 0x%x is unexpectedly owned exclusively by %s", function, address(),
                    describe(me)));
        }
        while (!tryShared(me)) {
            awaitForever(() -> writer == null && writersWaiting == 0 && !upgradeWaiting);
        }
    }

    /** Take the lock for reading if no writer holds or waits for it. */
    public boolean tryLockShared(String function) {
        checkUsable(function);
        return writer != Thread.currentThread() && tryShared(Thread.currentThread());
    }

    private synchronized boolean tryShared(Thread me) {
        Integer mine = readers.get(me);
        if (mine != null) {
            recursiveRead = true;
            readers.put(me, mine + 1);
            return true;
        }
        if (writer == null && writersWaiting == 0 && !upgradeWaiting) {
            readers.put(me, 1);
            readerCount = readers.size();
            held(me);
            return true;
        }
        return false;
    }

    /** Take the lock for writing. */
    public void lockExclusive(String function) {
        checkUsable(function);
        if (checks.active()) {
            checks.blocking(function);
        }
        Thread me = Thread.currentThread();
        synchronized (this) {
            if (writer == me) {
                panic(String.format("RW lock 0x%x is unexpectedly owned by %s", address(), describe(me)));
            }
            if (readers.containsKey(me)) {
                panic(String.format("%s: RW lock 0x%x is held shared by %s, which would wait for itself "
                        + "(use lck_rw_lock_shared_to_exclusive)", function, address(), describe(me)));
            }
            writersWaiting++;
        }
        try {
            while (!tryExclusive(me)) {
                awaitForever(() -> writer == null && readerCount == 0 && !upgradeWaiting);
            }
        } finally {
            synchronized (this) {
                writersWaiting--;
            }
        }
    }

    /** Take the lock for writing if nobody holds it. */
    public boolean tryLockExclusive(String function) {
        checkUsable(function);
        return tryExclusive(Thread.currentThread());
    }

    private synchronized boolean tryExclusive(Thread me) {
        if (writer == null && readers.isEmpty() && !upgradeWaiting) {
            writer = me;
            held(me);
            return true;
        }
        return false;
    }

    /** Release a read hold. */
    public void unlockShared(String function) {
        checkUsable(function);
        Thread me = Thread.currentThread();
        synchronized (this) {
            Integer mine = readers.get(me);
            if (mine == null) {
                panic(String.format("%s: RW lock 0x%x is unexpectedly not owned shared by %s", function, address(),
                        describe(me)));
            }
            if (mine > 1) {
                readers.put(me, mine - 1);
                return;
            }
            readers.remove(me);
            readerCount = readers.size();
            releasing();
            if (readers.isEmpty()) {
                acquiredIn = null;
            }
        }
        queue.wakeAll();
    }

    /** Release the write hold. */
    public void unlockExclusive(String function) {
        checkUsable(function);
        Thread me = Thread.currentThread();
        synchronized (this) {
            if (writer != me) {
                panic(String.format("%s: RW lock 0x%x is unexpectedly not owned exclusively by %s (%s)", function,
                        address(), describe(me), writer == null ? "no writer" : "writer: " + describe(writer)));
            }
            writer = null;
            acquiredIn = null;
            releasing();
        }
        queue.wakeAll();
    }

    /** Release whichever hold the caller has ({@code lck_rw_done}); return {@link #SHARED} or {@link #EXCLUSIVE}. */
    public int done(String function) {
        if (writer == Thread.currentThread()) {
            unlockExclusive(function);
            return EXCLUSIVE;
        }
        synchronized (this) {
            if (!readers.containsKey(Thread.currentThread())) {
                panic(String.format("%s: RW lock 0x%x is not held by %s", function, address(),
                        describe(Thread.currentThread())));
            }
        }
        unlockShared(function);
        return SHARED;
    }

    /**
     * Turn the caller's read hold into a write hold. As in XNU, if another thread is already waiting
     * to upgrade, the read hold is dropped and false returned.
     */
    public boolean sharedToExclusive(String function) {
        checkUsable(function);
        Thread me = Thread.currentThread();
        synchronized (this) {
            if (!readers.containsKey(me)) {
                panic(String.format("%s: RW lock 0x%x is not held shared by %s", function, address(), describe(me)));
            }
        }
        boolean drop;
        synchronized (this) {
            drop = upgradeWaiting;
            if (!drop) {
                upgradeWaiting = true;
            }
            readers.remove(me);
            readerCount = readers.size();
            releasing();
        }
        queue.wakeAll();
        if (drop) {
            return false;
        }
        try {
            awaitForever(() -> writer == null && readerCount == 0);
            synchronized (this) {
                writer = me;
                held(me);
            }
        } finally {
            synchronized (this) {
                upgradeWaiting = false;
            }
        }
        return true;
    }

    /** Turn the caller's write hold into a read hold, letting other readers in. */
    public void exclusiveToShared(String function) {
        checkUsable(function);
        Thread me = Thread.currentThread();
        synchronized (this) {
            if (writer != me) {
                panic(String.format("%s: RW lock 0x%x is not held exclusively by %s", function, address(),
                        describe(me)));
            }
            writer = null;
            readers.put(me, 1);
            readerCount = 1;
        }
        queue.wakeAll();
    }

    private void held(Thread me) {
        acquiredIn = scheduler.currentContext();
        HeldLocks.acquired(this);
        if (checks.active()) {
            checks.lockAcquired(this, false);
        }
    }

    private void releasing() {
        if (checks.active()) {
            checks.lockReleasing(this);
        }
        HeldLocks.released(this);
    }

    /** Return the writer, or {@code null}. */
    public Thread writer() {
        return writer;
    }

    /** Return how many threads hold it for reading. */
    public int readerCount() {
        return readerCount;
    }

    /** Return true if the calling thread holds it for reading. */
    public synchronized boolean isReadByCurrentThread() {
        return readers.containsKey(Thread.currentThread());
    }

    /** Return true once any thread took it for reading while already reading it (a deadlock risk, L7). */
    public boolean sawRecursiveRead() {
        return recursiveRead;
    }

    /** Return the context of the most recent acquisition still held, or {@code null} when free. */
    public ExecutionContext acquiredIn() {
        return acquiredIn;
    }

    @Override
    public boolean isHeld() {
        return writer != null || readerCount > 0;
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return writer == Thread.currentThread() || isReadByCurrentThread();
    }

    @Override
    public int waiterCount() {
        return writersWaiting + (upgradeWaiting ? 1 : 0);
    }

    @Override
    protected synchronized String holders() {
        if (writer != null) {
            return describe(writer) + " (exclusive)";
        }
        StringBuilder text = new StringBuilder();
        for (Thread reader : readers.keySet()) {
            text.append(text.length() == 0 ? "" : ", ").append(describe(reader));
        }
        return text + " (shared)";
    }
}
