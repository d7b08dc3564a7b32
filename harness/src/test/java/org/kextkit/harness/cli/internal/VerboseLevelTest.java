package org.kextkit.harness.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kextkit.harness.cli.LogLevel;

class VerboseLevelTest {
    @Test
    void levelsZeroToSixFollowKextToolsTable() {
        assertEquals(LogLevel.ERROR.value(), VerboseLevel.threshold("0"));
        assertEquals(LogLevel.BASIC.value(), VerboseLevel.threshold("1"));
        assertEquals(LogLevel.PROGRESS.value(), VerboseLevel.threshold("2"));
        assertEquals(LogLevel.STEP.value(), VerboseLevel.threshold("3"));
        assertEquals(LogLevel.DETAIL.value(), VerboseLevel.threshold("4"));
        assertEquals(LogLevel.DEBUG.value(), VerboseLevel.threshold("5"));
        assertEquals(LogLevel.DEBUG.value(), VerboseLevel.threshold("6"));
    }

    @Test
    void hexSpecsUseTheirLevelBitsAndIgnoreTheFlags() {
        assertEquals(LogLevel.PROGRESS.value(), VerboseLevel.threshold("0x4"));
        assertEquals(LogLevel.WARNING.value(), VerboseLevel.threshold("0x6FF2"));
        assertEquals(LogLevel.ERROR.value(), VerboseLevel.threshold("0X9"));
    }

    @Test
    void onlyLevelsAreTakenAsTheArgumentOfMinusV() {
        assertTrue(VerboseLevel.isLevel("3"));
        assertTrue(VerboseLevel.isLevel("0x8"));
        assertFalse(VerboseLevel.isLevel("7"));
        assertFalse(VerboseLevel.isLevel("Foo.kext"));
        assertFalse(VerboseLevel.isLevel("0xZ"));
        assertTrue(VerboseLevel.looksHex("0xZ"));
        assertFalse(VerboseLevel.isLevel(null));
    }
}
