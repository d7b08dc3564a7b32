package org.kextkit.harness.iokit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.libkern.SInt32;

/** Driver and nub classes for registry tests; a driver's behaviour comes from keys in its personality. */
final class Drivers {
    /** Every call made on a driver, as "personality.method". */
    static final List<String> CALLS = new CopyOnWriteArrayList<>();

    private Drivers() {
    }

    /** A nub, as a family would publish one; its I/O Kit class name is {@code Nub}. */
    public static class Nub extends IOService {
    }

    /**
     * Records its lifecycle. Personality keys: {@code Fail} = the method that throws or returns
     * false/null ({@code init}, {@code probe}, {@code start}); {@code FailBy} = {@code throw} or
     * {@code return}; {@code NewScore} = the score probe sets.
     */
    public static class Recording extends IOService {
        String label() {
            Object label = getProperty("Label");
            return label == null ? "?" : label.toString();
        }

        private boolean fails(String method) {
            return method.equals(getProperty("Fail"));
        }

        private boolean throwing() {
            return "throw".equals(getProperty("FailBy"));
        }

        @Override
        public boolean init(Map<String, Object> dictionary) {
            boolean ok = super.init(dictionary);
            CALLS.add(label() + ".init");
            if (fails("init")) {
                if (throwing()) {
                    throw new IllegalStateException("init exploded");
                }
                return false;
            }
            return ok;
        }

        @Override
        public boolean attach(IOService provider) {
            CALLS.add(label() + ".attach");
            return super.attach(provider);
        }

        @Override
        public void detach(IOService provider) {
            CALLS.add(label() + ".detach");
            super.detach(provider);
        }

        @Override
        public IOService probe(IOService provider, SInt32 score) {
            CALLS.add(label() + ".probe");
            if (fails("probe")) {
                if (throwing()) {
                    throw new IllegalArgumentException("probe exploded");
                }
                return null;
            }
            Object newScore = getProperty("NewScore");
            if (newScore instanceof Number) {
                score.value = ((Number) newScore).intValue();
            }
            return super.probe(provider, score);
        }

        @Override
        public boolean start(IOService provider) {
            CALLS.add(label() + ".start");
            if (!super.start(provider)) {
                return false;
            }
            if (fails("start")) {
                if (throwing()) {
                    throw new UnsupportedOperationException("start exploded");
                }
                return false;
            }
            return true;
        }

        @Override
        public void stop(IOService provider) {
            CALLS.add(label() + ".stop");
            super.stop(provider);
        }

        @Override
        public boolean willTerminate(IOService provider, int options) {
            CALLS.add(label() + ".willTerminate");
            return super.willTerminate(provider, options);
        }

        @Override
        public boolean didTerminate(IOService provider, int options, boolean[] defer) {
            CALLS.add(label() + ".didTerminate");
            return super.didTerminate(provider, options, defer);
        }

        @Override
        protected void free() {
            CALLS.add(label() + ".free");
            super.free();
        }
    }

    /** A second driver class, for personalities that name {@code IOClass} by its I/O Kit name ({@code Other}). */
    public static class Other extends Recording {
    }
}
