package org.kextkit.harness.daemon;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serve a few test commands and record what the daemon asked of it.
 *
 * <p>{@code echo ARGS} prints its arguments and working directory; {@code exit N MESSAGE} prints the
 * message on stderr and returns N; {@code boom} throws; {@code slow} sleeps 50 ms while counting how
 * many commands run at once.
 */
final class RecordingKernelHost implements KernelHost {
    final AtomicInteger shutdowns = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    final List<String> threads = new CopyOnWriteArrayList<>();
    volatile RuntimeException shutdownFailure;

    @Override
    public CommandRunner commands() {
        return this::run;
    }

    private int run(List<String> argv, Path cwd, PrintWriter out, PrintWriter err) {
        threads.add(Thread.currentThread().getName());
        int now = running.incrementAndGet();
        maxRunning.accumulateAndGet(now, Math::max);
        try {
            switch (argv.get(0)) {
                case "echo" -> {
                    out.println(String.join("|", argv.subList(1, argv.size())) + " @ " + cwd);
                    return 0;
                }
                case "exit" -> {
                    err.println(argv.get(2));
                    return Integer.parseInt(argv.get(1));
                }
                case "boom" -> {
                    out.println("partial output");
                    throw new IllegalStateException("boom");
                }
                case "slow" -> {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    out.println("slept");
                    return 0;
                }
                default -> {
                    err.println("unknown test command " + argv.get(0));
                    return 64;
                }
            }
        } finally {
            running.decrementAndGet();
        }
    }

    @Override
    public List<String> statusLines() {
        return List.of("loaded kexts:   0 (test kernel)");
    }

    @Override
    public void shutdown() {
        shutdowns.incrementAndGet();
        if (shutdownFailure != null) {
            throw shutdownFailure;
        }
    }
}
