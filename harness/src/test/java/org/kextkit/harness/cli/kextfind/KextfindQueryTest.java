package org.kextkit.harness.cli.kextfind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KextfindQueryTest {
    @TempDir
    Path tmp;

    private KextfindQuery parse(String... args) throws KextfindSyntaxException {
        return KextfindQuery.parse(List.of(args), tmp::resolve);
    }

    @Test
    void optionsThenDirectoriesThenQuery() throws Exception {
        Files.createDirectories(tmp.resolve("one"));
        Files.createDirectories(tmp.resolve("two"));
        KextfindQuery q = parse("-i", "-relative-paths", "-set-arch", "arm64", "-e", "one", "two", "-lib");
        assertEquals(List.of(new KextfindQuery.SearchItem(null), new KextfindQuery.SearchItem("one"),
                new KextfindQuery.SearchItem("two")), q.searchItems());
        assertTrue(q.searchItems().get(0).isSystemExtensions());
        assertEquals("arm64", q.arch());
        assertEquals(PathSpec.RELATIVE, q.pathSpec());
        assertFalse(q.needsLoadedKexts());
    }

    @Test
    void aPathThatIsNotADirectoryStartsTheQuery() {
        KextfindSyntaxException e = assertThrows(KextfindSyntaxException.class, () -> parse("missing.kext", "-lib"));
        assertEquals(List.of("Unknown option/query predicate 'missing.kext' (arg #1)."), e.lines());
        assertTrue(e.showUsage());
    }

    @Test
    void helpStopsParsing() throws Exception {
        assertTrue(parse("-h", "-bogus").helpRequested());
        assertFalse(parse("-lib").helpRequested());
    }

    @Test
    void loadedInTheQueryOrTheReportNeedsTheKernel() throws Exception {
        assertTrue(parse("-loaded").needsLoadedKexts());
        assertTrue(parse("-report", "-loaded").needsLoadedKexts());
        assertFalse(parse("-report", "-print").needsLoadedKexts());
    }

    @Test
    void integrityIsAcceptedWithANotice() throws Exception {
        assertEquals(List.of("Integrity states are no longer used; no kexts will match."),
                parse("-integrity", "modified").notices());
    }

    @Test
    void clusteredGlobalOptions() throws Exception {
        KextfindQuery q = parse("-is", "-lib");
        assertNull(q.arch());
        assertEquals(List.of(), q.searchItems());
    }
}
