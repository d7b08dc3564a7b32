package org.kextkit.harness.check.runtime;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.check.Checks;
import org.kextkit.harness.check.CodeSite;
import org.kextkit.harness.check.RelatedSite;
import org.kextkit.kit.internal.EventSourceRecord;
import org.kextkit.kit.internal.KernelChecks.TeardownMisuse;
import org.kextkit.kit.iokit.IOEventSource;
import org.kextkit.kit.iokit.IOInterruptEventSource;
import org.kextkit.kit.iokit.IOMemoryDescriptor;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOTimerEventSource;
import org.kextkit.kit.iokit.IOWorkLoop;

/**
 * The object and teardown checks of one kernel (OBJ-1..3, WL-1..4, WL-LIVE, MD-PREPARED).
 *
 * <p>While the checks are on, every object of a kext's own classes, and every work loop, event
 * source and memory descriptor that kext code creates, is remembered with the kext frame that
 * created it (one stack walk per such object; objects the kit or a family makes for itself cost one
 * class-loader test). The record goes when the object is freed, so what is left when a driver's
 * {@code stop} returns or its kext unloads is exactly what the kext left behind. Freed objects stay
 * in a small quarantine so that a late retain or release can name where the object was made and
 * freed.
 */
final class TeardownChecks {
    /** Where findings go: {@link RuntimeChecks}'s deduplicating emitter. */
    interface Emitter {
        void emit(String checkId, KextBundle bundle, CodeSite site, String message, List<RelatedSite> related);
    }

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final int QUARANTINE = 4096;

    /** Where an object was created: the kext frame (null when the kernel made it, as matching does). */
    private record Created(Class<?> type, StackWalker.StackFrame frame, KextBundle bundle) {
        CodeSite site() {
            return frame == null ? null : CodeSite.of(frame.toStackTraceElement());
        }
    }

    private record Freed(Created created, CodeSite freedAt) {
    }

    /** An identity key, since kext classes may override {@code equals}. */
    private record Ref(Object object) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Ref ref && ref.object == object;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(object);
        }
    }

    private final Emitter emitter;
    private final Map<Object, Created> live = new IdentityHashMap<>();
    private final Map<Ref, Freed> freed = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Ref, Freed> eldest) {
            return size() > QUARANTINE;
        }
    };

    TeardownChecks(Emitter emitter) {
        this.emitter = emitter;
    }

    private static boolean trackedKitType(Object object) {
        return object instanceof IOWorkLoop || object instanceof IOEventSource || object instanceof IOMemoryDescriptor;
    }

    void objectCreated(Object object) {
        Class<?> type = object.getClass();
        boolean kextClass = KextStack.isKext(type);
        if (!kextClass && !trackedKitType(object)) {
            return;
        }
        StackWalker.StackFrame frame = creatingFrame(type);
        KextBundle bundle = kextClass ? KextStack.bundleOf(type)
                : frame == null ? null : KextStack.bundleOf(frame.getDeclaringClass());
        if (bundle == null) {
            return;
        }
        synchronized (this) {
            live.put(object, new Created(type, frame, bundle));
        }
    }

    /** Return the innermost kext frame that is not one of the object's own constructors. */
    private static StackWalker.StackFrame creatingFrame(Class<?> type) {
        return WALKER.walk(frames -> frames.filter(f -> KextStack.isKext(f.getDeclaringClass()))
                .filter(f -> !("<init>".equals(f.getMethodName()) && f.getDeclaringClass().isAssignableFrom(type)))
                .findFirst().orElse(null));
    }

    void objectFreed(Object object) {
        if (!KextStack.isKext(object.getClass()) && !trackedKitType(object)) {
            return;
        }
        Created created;
        synchronized (this) {
            created = live.remove(object);
        }
        if (created == null) {
            return;
        }
        KextStack.Frame at = KextStack.first();
        synchronized (this) {
            freed.put(new Ref(object), new Freed(created, at == null ? null : at.site()));
        }
    }

    void misuse(TeardownMisuse misuse, Object object, String message) {
        String checkId = switch (misuse) {
            case OVER_RELEASE -> Checks.OBJ_1;
            case RETAIN_AFTER_FREE -> Checks.OBJ_2;
            case RELEASED_WHILE_ADDED -> Checks.WL_1;
            case TIMER_ARMED -> Checks.WL_2;
            case GATE_FROM_INTERRUPT -> Checks.WL_3;
            case SLEEP_WITHOUT_GATE -> Checks.WL_4;
            case FREED_WHILE_PREPARED -> Checks.MD_PREPARED;
        };
        Created created;
        Freed dead;
        synchronized (this) {
            created = live.get(object);
            dead = freed.get(new Ref(object));
        }
        if (created == null && dead != null) {
            created = dead.created;
        }
        List<RelatedSite> related = new ArrayList<>();
        if (created != null && created.site() != null) {
            related.add(new RelatedSite("created", created.site()));
        }
        if (dead != null && dead.freedAt != null) {
            related.add(new RelatedSite("freed (last release)", dead.freedAt));
        }
        String text = switch (misuse) {
            case OVER_RELEASE -> message + ": it was already freed by its last release; release only what you "
                    + "created, copied or retained.";
            case RETAIN_AFTER_FREE -> message + "; retain before handing the object on, never after the last release.";
            case SLEEP_WITHOUT_GATE -> message + "; call commandSleep only from inside runAction or runCommand.";
            default -> message;
        };
        KextStack.Frame frame = KextStack.first();
        KextBundle bundle = frame != null ? KextStack.bundleOf(frame.type()) : created == null ? null : created.bundle;
        CodeSite site = frame != null ? frame.site() : created == null ? null : created.site();
        emitter.emit(checkId, bundle, site, text, related);
    }

    // ---- audits ---------------------------------------------------------------------------------

    private synchronized List<Map.Entry<Object, Created>> snapshot() {
        return new ArrayList<>(new IdentityHashMap<>(live).entrySet());
    }

    /** Audit what the driver {@code service} left running when its {@code stop} returned. */
    void serviceStopped(Object service) {
        String name = service instanceof IORegistryEntry entry ? entry.getMetaClassName() : service.getClass().getName();
        String when = "when " + name + "::stop returned";
        for (Map.Entry<Object, Created> entry : snapshot()) {
            if (entry.getKey() instanceof IOEventSource source && source.getOwner() == service) {
                auditEventSource(source, entry.getValue(), when, "stop()");
            }
        }
    }

    private void auditEventSource(IOEventSource source, Created created, String when, String where) {
        EventSourceRecord record = source.eventSourceRecord();
        String kind = source.getClass().getSimpleName();
        if (source instanceof IOTimerEventSource && record.armed) {
            emitter.emit(Checks.WL_2, created.bundle, created.site(), String.format(Locale.ROOT,
                    "%s created here is still armed %s; it fires into code that is stopping. Call cancelTimeout "
                            + "in %s.", kind, when, where), List.of());
        }
        List<String> running = new ArrayList<>();
        IOWorkLoop loop = source.getWorkLoop();
        if (record.added && loop != null) {
            running.add("still added to " + loop.getName());
        }
        if (source instanceof IOInterruptEventSource interrupt && record.interruptRegistered) {
            IORegistryEntry provider = interrupt.getProvider();
            running.add("its interrupt handler is still registered for interrupt " + interrupt.getIntIndex()
                    + (provider == null ? "" : " of " + provider.getName()));
        }
        if (!running.isEmpty()) {
            emitter.emit(Checks.WL_LIVE, created.bundle, created.site(), String.format(Locale.ROOT,
                    "%s created here is left running %s: %s. Disable it, removeEventSource and release it in %s.",
                    kind, when, String.join("; ", running), where), List.of());
        }
    }

    /**
     * Audit what the kext {@code bundle} (whose classes {@code loader} defined) left behind at a
     * successful unload, then forget its objects.
     */
    void kextUnloaded(ClassLoader loader, KextBundle bundle) {
        String when = "when kext " + bundle.identifier() + " unloaded";
        for (Map.Entry<Object, Created> entry : snapshot()) {
            Created created = entry.getValue();
            if (!same(created.bundle, bundle)) {
                continue;
            }
            Object object = entry.getKey();
            if (object instanceof IOWorkLoop loop && !loop.isTerminating()) {
                emitter.emit(Checks.WL_LIVE, bundle, created.site(), String.format(Locale.ROOT,
                        "%s created here was never released: its thread still runs %s, with %d event source(s) "
                                + "added. Release the work loop in stop() or free().", loop.getName(), when,
                        loop.getEventSources().size()), List.of());
            } else if (object instanceof IOEventSource source) {
                auditEventSource(source, created, when, "stop()");
            } else if (object instanceof IOMemoryDescriptor descriptor && descriptor.getPrepareCount() > 0) {
                emitter.emit(Checks.MD_PREPARED, bundle, created.site(), String.format(Locale.ROOT,
                        "memory descriptor of %d bytes created here is still prepared (%d prepare call(s) not "
                                + "completed) %s; its pages stay wired. Call complete() and release it in stop().",
                        descriptor.getLength(), descriptor.getPrepareCount(), when), List.of());
            }
        }
        synchronized (this) {
            live.values().removeIf(created -> same(created.bundle, bundle));
            freed.values().removeIf(dead -> same(dead.created.bundle, bundle));
        }
    }

    static boolean same(KextBundle a, KextBundle b) {
        return a == b || a != null && b != null && a.identifier() != null && a.identifier().equals(b.identifier());
    }

    /**
     * Return one related site per live object of the kext's own classes with where it was created,
     * and the count of those the kernel created itself (drivers instantiated by matching).
     */
    synchronized List<RelatedSite> liveInstances(KextBundle bundle, int[] kernelMade) {
        List<RelatedSite> sites = new ArrayList<>();
        for (Created created : live.values()) {
            if (!same(created.bundle, bundle) || !KextStack.isKext(created.type)) {
                continue;
            }
            CodeSite site = created.site();
            if (site == null) {
                kernelMade[0]++;
            } else {
                sites.add(new RelatedSite(created.type.getName() + " instance created", site));
            }
        }
        // a stable order whatever the identity map's: by class, then file and line
        sites.sort(java.util.Comparator.comparing((RelatedSite r) -> r.site().className())
                .thenComparing(r -> String.valueOf(r.site().fileName())).thenComparingInt(r -> r.site().line()));
        return sites;
    }
}
