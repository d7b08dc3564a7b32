package org.kextkit.harness.cli.wiring.worker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.kextkit.harness.cli.ExitCodes;
import org.kextkit.harness.cli.KernelSetupException;
import org.kextkit.harness.cli.KextChecker;
import org.kextkit.harness.cli.KextChecker.Outcome;
import org.kextkit.harness.cli.KextChecker.Result;
import org.kextkit.harness.config.ConfigException;
import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.scheduler.internal.CarrierPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kextkit kextcheck-worker --set KEY=VALUE...}: the hidden worker of {@code kextcheck
 * --isolation=process}. It reads requests on standard input, checks each kext in a fresh kernel of
 * its own on the configuration given (the parent's, exactly), and writes each result on standard
 * output; standard output is the protocol's alone, so whatever kext code prints goes to standard
 * error. It ends at the end of its input.
 */
@Command(name = WorkerSession.COMMAND, hidden = true,
        description = "Internal: the worker process of kextcheck --isolation=process (not for direct use).")
public final class KextcheckWorkerCommand implements Callable<Integer> {
    /** How long threads a kext started get to end after its kernel shut down before they count as left behind. */
    private static final long THREAD_GRACE_MILLIS = 200;

    /** The name of the thread every virtual-time kernel of a JVM shares (org.kextkit.harness.scheduler.Watchdog). */
    private static final String SHARED_WATCHDOG = "kextkit watchdog";

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A configuration setting (repeatable).")
    private List<String> settings = new ArrayList<>();

    private final Function<KextkitConfig, KextChecker> checkers;

    /** Create the command; {@code checkers} makes the in-process checker for a configuration. */
    public KextcheckWorkerCommand(Function<KextkitConfig, KextChecker> checkers) {
        this.checkers = checkers;
    }

    @Override
    public Integer call() throws IOException {
        // Standard output carries the protocol: keep it, and send everything else printed to stderr.
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
        KextChecker checker;
        try {
            KextkitConfig config = new ConfigLoader().noUserFile().environment(Map.of()).commandLine(settings).load();
            checker = checkers.apply(config);
        } catch (ConfigException e) {
            System.err.println("kextcheck-worker: " + e.getMessage());
            return ExitCodes.EX_CONFIG;
        }
        out.writeByte(WorkerProtocol.READY);
        out.flush();
        while (true) {
            WorkerProtocol.Request request;
            try {
                request = WorkerProtocol.readRequest(in);
            } catch (EOFException e) {
                return ExitCodes.EX_OK;
            }
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            WorkerProtocol.Reply reply;
            try {
                Result result = checker.check(request.target(), request.searchPaths(), request.machine(), request.exercise());
                reply = new WorkerProtocol.Reply(result, null, retireReason(result, before));
            } catch (KernelSetupException e) {
                reply = new WorkerProtocol.Reply(null, e.getMessage(), null);
            }
            WorkerProtocol.writeReply(out, reply);
        }
    }

    /**
     * Return true for threads that start when first needed and serve the whole JVM: the JDK's own
     * (cleaners, the process reaper), the virtual-time kernels' shared watchdog, and their carrier
     * threads while idle (a carrier still running a kernel thread is not shared).
     */
    private static boolean sharedThread(Thread t) {
        ThreadGroup group = t.getThreadGroup();
        return group == null || group.getName().equals("system") || group.getName().equals("InnocuousThreadGroup")
                || t.getName().equals(SHARED_WATCHDOG) && t.isDaemon() || CarrierPool.isIdleCarrier(t);
    }

    /** Return why this JVM should not run another kext after {@code result}, or {@code null}. */
    private static String retireReason(Result result, Set<Thread> before) {
        if (result.outcome() == Outcome.PANICKED) {
            return "the kext panicked its kernel";
        }
        List<String> left = new ArrayList<>();
        long deadline = System.nanoTime() + THREAD_GRACE_MILLIS * 1_000_000;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            // A carrier idle before the check may have carried this kext's threads since: judge it by what it does now.
            if (before.contains(t) && !CarrierPool.isCarrier(t) || sharedThread(t)) {
                continue;
            }
            // A kernel thread's carrier goes idle, rather than ending, once the kernel lets it go.
            while (t.isAlive() && !CarrierPool.isIdleCarrier(t) && System.nanoTime() < deadline) {
                try {
                    t.join(Math.max(1, Math.min(10, (deadline - System.nanoTime()) / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (t.isAlive() && !CarrierPool.isIdleCarrier(t)) {
                left.add(t.getName());
            }
        }
        return left.isEmpty() ? null : "the kext left " + left.size() + (left.size() == 1 ? " thread" : " threads")
                + " running (" + String.join(", ", left) + ")";
    }
}
