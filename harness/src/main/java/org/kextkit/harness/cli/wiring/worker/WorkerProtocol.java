package org.kextkit.harness.cli.wiring.worker;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.kextkit.harness.check.CheckSettings;
import org.kextkit.harness.check.CodeSite;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.check.FindingsReport;
import org.kextkit.harness.check.KextRef;
import org.kextkit.harness.check.RelatedSite;
import org.kextkit.harness.check.ReportedFinding;
import org.kextkit.harness.check.Severity;
import org.kextkit.harness.check.Suppression;
import org.kextkit.harness.cli.KextChecker.Exercise;
import org.kextkit.harness.cli.KextChecker.Outcome;
import org.kextkit.harness.cli.KextChecker.Result;
import org.kextkit.harness.cli.KextChecker.Target;

/**
 * The messages between {@code kextcheck} and its worker, as framed binary records on the worker's
 * standard input (requests) and output (replies): a request names one kext to check; a reply carries
 * its whole {@link Result} (findings included), or says the kernel could not be set up.
 */
final class WorkerProtocol {
    /** A reply holding a result. */
    static final byte RESULT = 'R';
    /** A reply saying the kernel could not be set up as configured; every kext would fail alike. */
    static final byte SETUP_FAILED = 'S';
    /** A reply to the greeting, sent once the worker is ready. */
    static final byte READY = 'Y';

    private WorkerProtocol() {
    }

    /** One kext to check. */
    record Request(Target target, List<Path> searchPaths, Path machine, Exercise exercise) {
    }

    /**
     * What the worker answered.
     *
     * @param result the kext's result, or {@code null} when the kernel could not be set up
     * @param setupFailure the set-up error's message, or {@code null}
     * @param retireReason why this worker should not run another kext (a panic, threads left running),
     *     or {@code null} if it is clean
     */
    record Reply(Result result, String setupFailure, String retireReason) {
    }

    static void writeRequest(DataOutputStream out, Request r) throws IOException {
        writeString(out, r.target().path().toString());
        writeString(out, r.target().bundleId());
        writeString(out, r.target().version());
        writeString(out, r.target().problem());
        out.writeInt(r.searchPaths().size());
        for (Path p : r.searchPaths()) {
            writeString(out, p.toString());
        }
        writeString(out, r.machine() == null ? null : r.machine().toString());
        writeString(out, r.exercise().name());
        out.flush();
    }

    static Request readRequest(DataInputStream in) throws IOException {
        Target target = new Target(Path.of(readString(in)), readString(in), readString(in), readString(in));
        int n = in.readInt();
        List<Path> searchPaths = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            searchPaths.add(Path.of(readString(in)));
        }
        String machine = readString(in);
        return new Request(target, searchPaths, machine == null ? null : Path.of(machine), Exercise.valueOf(readString(in)));
    }

    static void writeReply(DataOutputStream out, Reply reply) throws IOException {
        if (reply.result() == null) {
            out.writeByte(SETUP_FAILED);
            writeString(out, reply.setupFailure());
        } else {
            out.writeByte(RESULT);
            writeResult(out, reply.result());
            writeString(out, reply.retireReason());
        }
        out.flush();
    }

    /** Read a reply; the first byte, already read, says which kind. */
    static Reply readReply(DataInputStream in, byte kind) throws IOException {
        if (kind == SETUP_FAILED) {
            return new Reply(null, readString(in), null);
        }
        if (kind != RESULT) {
            throw new IOException("unexpected reply kind " + kind);
        }
        Result result = readResult(in);
        return new Reply(result, null, readString(in));
    }

    private static void writeResult(DataOutputStream out, Result r) throws IOException {
        writeString(out, r.outcome().name());
        writeString(out, r.reason());
        writeStrings(out, r.details());
        out.writeInt(r.driversStarted());
        FindingsReport f = r.findings();
        writeFindings(out, f.findings());
        writeFindings(out, f.suppressed());
        writeStrings(out, List.copyOf(f.settings().disabled()));
        out.writeInt(f.settings().suppressions().size());
        for (Suppression s : f.settings().suppressions()) {
            writeSuppression(out, s);
        }
        out.writeInt(f.kexts().size());
        for (KextRef k : f.kexts()) {
            writeString(out, k.bundleId());
            writeString(out, k.version());
        }
    }

    private static Result readResult(DataInputStream in) throws IOException {
        Outcome outcome = Outcome.valueOf(readString(in));
        String reason = readString(in);
        List<String> details = readStrings(in);
        int drivers = in.readInt();
        List<ReportedFinding> findings = readFindings(in);
        List<ReportedFinding> suppressed = readFindings(in);
        Set<String> disabled = new LinkedHashSet<>(readStrings(in));
        int n = in.readInt();
        List<Suppression> suppressions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            suppressions.add(readSuppression(in));
        }
        int k = in.readInt();
        List<KextRef> kexts = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            kexts.add(new KextRef(readString(in), readString(in)));
        }
        FindingsReport report = new FindingsReport(findings, suppressed, CheckSettings.of(disabled, suppressions), kexts);
        return new Result(outcome, reason, details, report, drivers);
    }

    private static void writeFindings(DataOutputStream out, List<ReportedFinding> list) throws IOException {
        out.writeInt(list.size());
        for (ReportedFinding rf : list) {
            Finding f = rf.finding();
            writeString(out, f.checkId());
            writeString(out, f.severity().name());
            writeString(out, f.bundleId());
            writeString(out, f.bundleVersion());
            writeString(out, f.message());
            writeSite(out, f.primarySite());
            out.writeInt(f.related().size());
            for (RelatedSite related : f.related()) {
                writeString(out, related.role());
                writeSite(out, related.site());
            }
            writeString(out, f.context());
            out.writeInt(rf.occurrences());
            out.writeBoolean(rf.suppression() != null);
            if (rf.suppression() != null) {
                writeSuppression(out, rf.suppression());
            }
        }
    }

    private static List<ReportedFinding> readFindings(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<ReportedFinding> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String checkId = readString(in);
            Severity severity = Severity.valueOf(readString(in));
            String bundleId = readString(in);
            String version = readString(in);
            String message = readString(in);
            CodeSite primary = readSite(in);
            int r = in.readInt();
            List<RelatedSite> related = new ArrayList<>(r);
            for (int j = 0; j < r; j++) {
                related.add(new RelatedSite(readString(in), readSite(in)));
            }
            String context = readString(in);
            Finding finding = new Finding(checkId, severity, bundleId, version, message, primary, related, context);
            int occurrences = in.readInt();
            Suppression suppression = in.readBoolean() ? readSuppression(in) : null;
            list.add(new ReportedFinding(finding, occurrences, suppression));
        }
        return list;
    }

    private static void writeSite(DataOutputStream out, CodeSite site) throws IOException {
        out.writeBoolean(site != null);
        if (site != null) {
            writeString(out, site.className());
            writeString(out, site.methodName());
            writeString(out, site.fileName());
            out.writeInt(site.line());
        }
    }

    private static CodeSite readSite(DataInputStream in) throws IOException {
        return in.readBoolean() ? new CodeSite(readString(in), readString(in), readString(in), in.readInt()) : null;
    }

    private static void writeSuppression(DataOutputStream out, Suppression s) throws IOException {
        writeString(out, s.checkId());
        writeString(out, s.bundleId());
        writeString(out, s.className());
        writeString(out, s.methodName());
        writeString(out, s.reason());
    }

    private static Suppression readSuppression(DataInputStream in) throws IOException {
        return new Suppression(readString(in), readString(in), readString(in), readString(in), readString(in));
    }

    private static void writeStrings(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            writeString(out, s);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(readString(in));
        }
        return list;
    }

    /** Write a string that may be {@code null} and longer than {@code writeUTF} allows. */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] bytes = new byte[checkedLength(n)];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int checkedLength(int n) throws IOException {
        if (n > 64 << 20) {
            throw new IOException("a string of " + n + " bytes; the stream is out of step");
        }
        return n;
    }
}
