package org.kextkit.harness.check.runtime;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.check.Checks;
import org.kextkit.harness.check.CodeSite;
import org.kextkit.harness.check.RelatedSite;
import org.kextkit.kit.internal.ThreadCallState;
import org.kextkit.kit.iokit.IORegistryEntry;

/**
 * The thread-call checks of one kernel (kext-semantics rules TC-1 and TC-2).
 *
 * <p>Every thread call kext code allocates is remembered with the kext frame that allocated it and
 * the one that last queued it. TC-1 is a {@code thread_call_free} of a call that is still pending
 * (XNU refuses it and returns false) or whose callout runs on another thread. TC-2 is a call still
 * pending or running when the driver it belongs to (its {@code param0}) stops, a callout that runs
 * after that stop, and at unload every call of the kext that is still active or was never freed. A
 * call already reported under TC-1 is not reported again at unload: the failed free is its defect.
 * At unload the kernel then dequeues the kext's calls, so that none runs into unloaded code.
 */
final class ThreadCallChecks {
    private final TeardownChecks.Emitter emitter;
    private final Map<ThreadCallState, Record> live = new IdentityHashMap<>();

    /** What the checks know of one call. */
    private static final class Record {
        final KextBundle bundle;
        final CodeSite allocated;
        volatile CodeSite entered;
        volatile boolean freeMisused;
        volatile String stoppedOwner;

        Record(KextBundle bundle, CodeSite allocated) {
            this.bundle = bundle;
            this.allocated = allocated;
        }

        /** The site a fix starts from: where the call was last queued, else where it was made. */
        CodeSite armedOrAllocated() {
            return entered != null ? entered : allocated;
        }

        List<RelatedSite> related() {
            return entered != null && allocated != null ? List.of(new RelatedSite("allocated", allocated)) : List.of();
        }
    }

    ThreadCallChecks(TeardownChecks.Emitter emitter) {
        this.emitter = emitter;
    }

    private synchronized Record record(ThreadCallState call) {
        return live.get(call);
    }

    void allocated(ThreadCallState call) {
        KextStack.Frame frame = KextStack.first();
        if (frame == null) {
            return; // the kernel's or a family's own call
        }
        KextBundle bundle = KextStack.bundleOf(frame.type());
        if (bundle == null) {
            return;
        }
        synchronized (this) {
            live.put(call, new Record(bundle, frame.site()));
        }
    }

    void entered(ThreadCallState call) {
        Record record = record(call);
        KextStack.Frame frame = record == null ? null : KextStack.first();
        if (frame != null) {
            record.entered = frame.site();
        }
    }

    void firing(ThreadCallState call) {
        Record record = record(call);
        if (record != null && record.stoppedOwner != null) {
            emitter.emit(Checks.TC_2, record.bundle, record.armedOrAllocated(), String.format(Locale.ROOT,
                    "%s queued here runs after %s::stop returned; cancel it with thread_call_cancel_wait and free "
                            + "it in stop().", call, record.stoppedOwner), record.related());
        }
    }

    void freed(ThreadCallState call, boolean pending, boolean runningElsewhere) {
        Record record = record(call);
        if (record == null) {
            return;
        }
        if (pending || runningElsewhere) {
            record.freeMisused = true;
            KextStack.Frame frame = KextStack.first();
            List<RelatedSite> related = new ArrayList<>(record.related());
            if (record.entered != null) {
                related.add(0, new RelatedSite("queued", record.entered));
            } else if (record.allocated != null) {
                related.add(new RelatedSite("allocated", record.allocated));
            }
            String what = pending
                    ? "is still pending, so thread_call_free refuses it (returns false) and the call stays queued"
                    : "has its callout running on another thread, which may still use what stop is tearing down";
            emitter.emit(Checks.TC_1, record.bundle, frame == null ? record.allocated : frame.site(), String.format(
                    Locale.ROOT, "%s %s; call thread_call_cancel_wait before thread_call_free.", call, what), related);
        }
        if (!pending) {
            synchronized (this) {
                live.remove(call);
            }
        }
    }

    private synchronized List<Map.Entry<ThreadCallState, Record>> snapshot() {
        return new ArrayList<>(live.entrySet());
    }

    /** Report the active calls whose {@code param0} is the driver {@code service}, which has just stopped. */
    void serviceStopped(Object service) {
        String name = service instanceof IORegistryEntry entry ? entry.getMetaClassName() : service.getClass().getName();
        for (Map.Entry<ThreadCallState, Record> entry : snapshot()) {
            ThreadCallState call = entry.getKey();
            Record record = entry.getValue();
            if (call.param0() != service || record.freeMisused || !call.isActive()) {
                continue;
            }
            record.stoppedOwner = name;
            emitter.emit(Checks.TC_2, record.bundle, record.armedOrAllocated(), String.format(Locale.ROOT,
                    "%s queued here is still %s when %s::stop returned; it runs into a driver that has stopped. "
                            + "Call thread_call_cancel_wait and thread_call_free in stop().", call, state(call), name),
                    record.related());
        }
    }

    private static String state(ThreadCallState call) {
        return call.isPending() ? "pending" : "running";
    }

    /** Report the kext's calls still active or never freed, then dequeue and forget them. */
    void kextUnloaded(KextBundle bundle) {
        for (Map.Entry<ThreadCallState, Record> entry : snapshot()) {
            ThreadCallState call = entry.getKey();
            Record record = entry.getValue();
            if (!TeardownChecks.same(record.bundle, bundle)) {
                continue;
            }
            if (!record.freeMisused) {
                if (call.isActive()) {
                    emitter.emit(Checks.TC_2, bundle, record.armedOrAllocated(), String.format(Locale.ROOT,
                            "%s queued here is still %s when kext %s unloads; its callout would run in unloaded code. "
                                    + "Cancel it with thread_call_cancel_wait and free it in stop().", call, state(call),
                            bundle.identifier()), record.related());
                } else {
                    emitter.emit(Checks.TC_2, bundle, record.allocated, String.format(Locale.ROOT,
                            "%s allocated here was never freed before kext %s unloaded; call thread_call_free in stop().",
                            call, bundle.identifier()), List.of());
                }
            }
            call.cancelForUnload();
            synchronized (this) {
                live.remove(call);
            }
        }
    }
}
