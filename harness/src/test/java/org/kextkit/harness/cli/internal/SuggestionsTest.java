package org.kextkit.harness.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> COMMANDS = List.of("kextload", "kextunload", "kextstat", "kextutil", "kextfind",
            "kextlibs", "help");

    @Test
    void aTranspositionOrOneWrongLetterFindsTheCommand() {
        assertEquals(List.of("kextload"), Suggestions.closest("kextlaod", COMMANDS));
        assertEquals(List.of("kextstat"), Suggestions.closest("kextsta", COMMANDS));
        assertEquals(List.of("kextfind"), Suggestions.closest("kextlind", COMMANDS));
        assertEquals(List.of("-list-only"), Suggestions.closest("-list-onyl", List.of("-list-only", "--list-only", "-l")));
    }

    @Test
    void farOrShortWordsGetNoSuggestion() {
        assertEquals(List.of(), Suggestions.closest("ioreg", COMMANDS));
        assertEquals(List.of(), Suggestions.closest("-y", List.of("-a", "-b")));
    }

    @Test
    void distanceCountsATranspositionAsOneEdit() {
        assertEquals(1, Suggestions.distance("-list-onyl", "-list-only"));
        assertEquals(2, Suggestions.distance("-list-onyl", "--list-only"));
        assertEquals(0, Suggestions.distance("kextstat", "kextstat"));
    }
}
