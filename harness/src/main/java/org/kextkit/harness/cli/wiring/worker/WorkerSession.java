package org.kextkit.harness.cli.wiring.worker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.kextkit.harness.check.FindingsReport;
import org.kextkit.harness.cli.KernelSetupException;
import org.kextkit.harness.cli.KextChecker;
import org.kextkit.harness.cli.KextChecker.Exercise;
import org.kextkit.harness.cli.KextChecker.Outcome;
import org.kextkit.harness.cli.KextChecker.Result;
import org.kextkit.harness.cli.KextChecker.Target;
import org.kextkit.harness.daemon.DaemonLauncher;

/**
 * Check kexts in worker JVMs, one kext at a time: start a worker ({@code kextkit kextcheck-worker}
 * on this JVM's class path, with this configuration) when one is needed, send it each kext, and wait
 * for its answer at most the time limit. A worker that dies or stops answering makes that kext's
 * result a harness error naming what happened, and is replaced for the next kext; so is a worker
 * whose last kext panicked or left threads running, though that kext's result stands.
 */
public final class WorkerSession implements KextChecker.Session {
    /** The hidden command the worker runs. */
    public static final String COMMAND = "kextcheck-worker";
    /** The worker's JVM options: a small, quickly started JVM that ends at once when its heap runs out. */
    static final List<String> JAVA_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-Xmx512m", "-XX:+ExitOnOutOfMemoryError");
    /** How many of a worker's last standard-error lines are kept, to explain its death. */
    private static final int STDERR_LINES = 20;
    /** How long a new worker may take to say it is ready. */
    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    private final List<String> command;
    private final Duration timeLimit;
    private Worker worker;
    private int started;

    /**
     * Return a session whose workers boot their kernels from {@code configSettings} ({@code key=value},
     * as {@code KextkitConfig.toSetArguments} gives them) and may take {@code timeLimit} per kext.
     */
    public static WorkerSession forConfig(List<String> configSettings, Duration timeLimit) {
        return new WorkerSession(workerCommand(configSettings), timeLimit);
    }

    /** Create a session whose workers run {@code command} (a whole command line, {@code java} first). */
    WorkerSession(List<String> command, Duration timeLimit) {
        this.command = List.copyOf(command);
        this.timeLimit = timeLimit;
    }

    /** Return the command line of a worker on this JVM's class path with {@code configSettings}. */
    static List<String> workerCommand(List<String> configSettings) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JAVA_OPTIONS);
        cmd.add("-cp");
        cmd.add(DaemonLauncher.absoluteClassPath(System.getProperty("java.class.path")));
        cmd.add("org.kextkit.harness.cli.Main");
        cmd.add(COMMAND);
        for (String setting : configSettings) {
            cmd.add("--set");
            cmd.add(setting);
        }
        return cmd;
    }

    /** Return how many worker processes this session has started. */
    public int workersStarted() {
        return started;
    }

    @Override
    public Result check(Target target, List<Path> searchPaths, Path machine, Exercise exercise) {
        if (worker == null) {
            try {
                worker = new Worker(command);
                started++;
                worker.awaitReady();
            } catch (IOException e) {
                Worker failed = worker;
                worker = null;
                String why = "could not start a worker process - " + e.getMessage();
                List<String> details = failed == null ? List.of() : failed.stderrTail();
                if (failed != null) {
                    failed.kill();
                }
                return harnessError(why, details);
            }
        }
        Worker current = worker;
        Object reply;
        try {
            current.send(new WorkerProtocol.Request(target, searchPaths, machine, exercise));
            reply = current.await(timeLimit);
        } catch (IOException e) {
            reply = Worker.LOST;
        }
        if (!(reply instanceof WorkerProtocol.Reply answer)) {
            // Dead, or hung past the limit: either way this worker is done.
            worker = null;
            boolean hung = reply == null;
            if (hung) {
                current.kill();
            }
            // A dead worker's last words are read before the process is reaped: destroying a process
            // closes its pipes, and what the reader had not taken yet would be lost.
            int status = current.exitStatus();
            current.kill();
            List<String> tail = current.stderrTail();
            String why = hung ? "it did not finish within " + timeLimit.toSeconds() + " s, so its worker process was stopped"
                    : "its worker process died (exit status " + status + (tail.isEmpty() ? "" : ": " + tail.get(tail.size() - 1)) + ")";
            List<String> details = new ArrayList<>();
            if (!tail.isEmpty()) {
                details.add("The worker's last lines on standard error:");
                tail.forEach(line -> details.add("  " + line));
            }
            return harnessError(why, details);
        }
        if (answer.result() == null) {
            throw new KernelSetupException(answer.setupFailure(), null);
        }
        Result result = answer.result();
        if (answer.retireReason() != null) {
            worker = null;
            current.kill();
            List<String> details = new ArrayList<>(result.details());
            details.add("Its worker process was replaced: " + answer.retireReason() + ".");
            result = new Result(result.outcome(), result.reason(), details, result.findings(), result.driversStarted());
        }
        return result;
    }

    private static Result harnessError(String why, List<String> details) {
        return new Result(Outcome.HARNESS_ERROR, why, details, FindingsReport.EMPTY, 0);
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.finish();
            worker = null;
        }
    }

    /** One worker process and the threads that read its output. */
    private static final class Worker {
        /** Put on the queue when the worker's output ends or breaks. */
        static final Object LOST = new Object();

        private final Process process;
        private final DataOutputStream requests;
        private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
        private final Deque<String> stderr = new ArrayDeque<>();
        private final Thread err;

        Worker(List<String> command) throws IOException {
            process = new ProcessBuilder(command).start();
            requests = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
            Thread out = new Thread(this::readReplies, "kextcheck-worker-" + process.pid() + "-out");
            out.setDaemon(true);
            out.start();
            err = new Thread(this::readStderr, "kextcheck-worker-" + process.pid() + "-err");
            err.setDaemon(true);
            err.start();
        }

        private void readReplies() {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(process.getInputStream()))) {
                while (true) {
                    byte kind = in.readByte();
                    replies.add(kind == WorkerProtocol.READY ? kind : WorkerProtocol.readReply(in, kind));
                }
            } catch (EOFException e) {
                replies.add(LOST);
            } catch (IOException | RuntimeException e) {
                replies.add(LOST);
            }
        }

        private void readStderr() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (stderr) {
                        stderr.addLast(line);
                        if (stderr.size() > STDERR_LINES) {
                            stderr.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // The worker is gone; what it wrote so far is kept.
            }
        }

        void awaitReady() throws IOException {
            Object first = poll(START_LIMIT);
            if (!(first instanceof Byte)) {
                throw new IOException(first == null ? "it did not start within " + START_LIMIT.toSeconds() + " s"
                        : "it exited with status " + exitStatus() + lastLine());
            }
        }

        private String lastLine() {
            List<String> tail = stderrTail();
            return tail.isEmpty() ? "" : ": " + tail.get(tail.size() - 1);
        }

        /** Send a request; the standard-error lines kept from now on are this kext's. */
        void send(WorkerProtocol.Request request) throws IOException {
            synchronized (stderr) {
                stderr.clear();
            }
            WorkerProtocol.writeRequest(requests, request);
        }

        /** Return the next reply, {@link #LOST} if the worker's output ended, or {@code null} if none came within {@code limit}. */
        Object await(Duration limit) {
            return poll(limit);
        }

        private Object poll(Duration limit) {
            try {
                return replies.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** Return the exit status, waiting briefly for the process to end; -1 if it has not. */
        int exitStatus() {
            try {
                if (process.waitFor(5, TimeUnit.SECONDS)) {
                    // Let the stderr reader take the last lines the worker wrote.
                    err.join(1000);
                    return process.exitValue();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }

        List<String> stderrTail() {
            synchronized (stderr) {
                return List.copyOf(stderr);
            }
        }

        void kill() {
            process.destroyForcibly();
        }

        /** End a healthy worker: close its input, so it leaves its loop, and stop it if it lingers. */
        void finish() {
            try {
                requests.close();
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (IOException e) {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }
}
