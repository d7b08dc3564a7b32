package org.kextkit.family.pci.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.iokit.matching.ChecksFamilyKeys;

/** Apple's PCI match grammar (§4.3): items, masks, lists, and where parsing stops. */
class PciMatchGrammarTest {
    // Intel 82574L: vendor 0x8086, device 0x10d3; subsystem 0x8086/0xa01f; Ethernet, revision 0x03.
    private static final PciIds NIC = PciIds.of(0x8086, 0x10d3, 0x020000, 0x03, 0x8086, 0xa01f);

    private static boolean matches(String key, String value, PciIds ids) {
        return PciMatcher.match(Map.of(key, value), ids, 0, true, false).matched();
    }

    @Nested
    class Strtoul {
        @Test
        void readsHexWithOrWithoutPrefixInEitherCase() {
            assertEquals(0x10d38086L, HexScan.scan("0x10d38086", 0).value());
            assertEquals(0x10d38086L, HexScan.scan("0X10D38086", 0).value());
            assertEquals(0x10d38086L, HexScan.scan("10d38086", 0).value());
        }

        @Test
        void skipsLeadingWhiteSpaceOfAnyKind() {
            HexScan scan = HexScan.scan(" \t\n0x1f", 0);
            assertEquals(0x1f, scan.value());
            assertEquals(7, scan.end());
        }

        @Test
        void convertsNothingWhenNoDigitFollowsThePrefixAndLeavesTheEndAtTheStart() {
            HexScan scan = HexScan.scan("0xg", 0);
            assertFalse(scan.converted());
            assertEquals(0, scan.end());
        }

        @Test
        void stopsAtTheSecondXOfTheHeaderTypo() {
            HexScan scan = HexScan.scan("0x0xff00ffff", 0);
            assertEquals(0, scan.value());
            assertEquals(3, scan.end());
        }

        @Test
        void saturatesOnOverflowAndNegatesAMinusSign() {
            HexScan big = HexScan.scan("0x1234567890abcdef12", 0);
            assertTrue(big.overflowed());
            assertEquals(-1L, big.value());
            assertEquals(-1L, HexScan.scan("-1", 0).value());
        }
    }

    @Nested
    class Items {
        @Test
        void aBareValueUsesTheKeysDefaultMask() {
            PciMatchList list = PciMatchList.parse(PciMatchKey.IOPCIMatch, "0x10d38086");
            assertEquals(List.of(new PciMatchList.Item(0x10d38086, 0xFFFF_FFFF, "0x10d38086")), list.items());
            PciMatchList cls = PciMatchList.parse(PciMatchKey.IOPCIClassMatch, "0x02000000");
            assertEquals(0xFFFF_FF00, cls.items().get(0).mask());
        }

        @Test
        void anAmpersandGivesTheMaskWithSpacesAllowedAroundIt() {
            PciMatchList list = PciMatchList.parse(PciMatchKey.IOPCIMatch, "0x00008086 & 0x0000ffff");
            assertEquals(1, list.items().size());
            assertEquals(0x0000ffff, list.items().get(0).mask());
            assertTrue(list.problems().isEmpty(), list.problems().toString());
        }

        @Test
        void itemsAreSeparatedByAnyWhiteSpace() {
            PciMatchList list = PciMatchList.parse(PciMatchKey.IOPCIMatch, "0x10d38086\t0x10d48086\n 0x10d58086");
            assertEquals(3, list.items().size());
            assertEquals(-1, list.stoppedAt());
        }

        @Test
        void onlySpacesMaySeparateAValueFromItsMaskSoATabEndsTheList() {
            PciMatchList list = PciMatchList.parse(PciMatchKey.IOPCIMatch, "0x00008086\t&0x0000ffff");
            assertEquals(1, list.items().size());
            assertEquals(0xFFFF_FFFF, list.items().get(0).mask(), "the tab ends the item; the default mask applies");
            assertTrue(list.stoppedAt() > 0);
            assertFalse(matches("IOPCIMatch", "0x00008086\t&0x0000ffff", NIC), "only vendor 0x8086 with device 0 would match");
        }

        @Test
        void parsingStopsAtTheFirstBadItemAndIgnoresTheRest() {
            PciMatchList list = PciMatchList.parse(PciMatchKey.IOPCIMatch, "0x11118086, 0x10d38086");
            assertEquals(1, list.items().size());
            assertEquals(10, list.stoppedAt());
            assertFalse(matches("IOPCIMatch", "0x11118086, 0x10d38086", NIC), "the item after the comma is never read");
            assertTrue(matches("IOPCIMatch", "0x11118086 0x10d38086", NIC));
            assertTrue(list.problems().get(0).contains("parsing stops at ', 0x10d38086'"), list.problems().toString());
        }

        @Test
        void theHeaderTypoMaskReadsAsZeroAndMatchesEveryDevice() {
            String typo = "0x12345678&0x0xff00ffff";
            assertTrue(matches("IOPCIMatch", typo, NIC));
            PciMatchList list = PciMatchList.parse(PciMatchKey.IOPCIMatch, typo);
            assertEquals(0, list.items().get(0).mask());
            assertTrue(list.problems().get(0).contains("0x0x"), list.problems().toString());
        }

        @Test
        void aMaskWithoutDigitsIsZeroAndParsingGoesOnAfterTheAmpersand() {
            PciMatchList list = PciMatchList.parse(PciMatchKey.IOPCIMatch, "0x1&zz");
            assertEquals(0, list.items().get(0).mask());
            assertEquals(4, list.stoppedAt());
            assertTrue(matches("IOPCIMatch", "0x1&zz", NIC));
        }

        @Test
        void valuesWiderThan32BitsKeepTheirLowBits() {
            PciMatchList list = PciMatchList.parse(PciMatchKey.IOPCIMatch, "0x110d38086");
            assertEquals(0x10d38086, list.items().get(0).value());
            assertTrue(matches("IOPCIMatch", "0x110d38086", NIC));
            assertTrue(list.problems().get(0).contains("wider than 32 bits"));
        }

        @Test
        void anEmptyOrUnreadableValueNeverMatches() {
            assertFalse(matches("IOPCIMatch", "", NIC));
            assertFalse(matches("IOPCIMatch", "   ", NIC));
            assertFalse(matches("IOPCIMatch", "pci8086,10d3", NIC));
            assertTrue(PciMatchList.parse(PciMatchKey.IOPCIMatch, "").problems().get(0).contains("empty"));
        }
    }

    @Nested
    class Keys {
        @Test
        void ioPciMatchComparesTheVendorDeviceRegisterOrTheSubsystemRegister() {
            assertTrue(matches("IOPCIMatch", "0x10d38086", NIC));
            assertTrue(matches("IOPCIMatch", "0xa01f8086", NIC), "the subsystem IDs match too");
            assertFalse(matches("IOPCIMatch", "0x10d48086", NIC));
        }

        @Test
        void primaryAndSecondaryCompareOneRegisterEach() {
            assertTrue(matches("IOPCIPrimaryMatch", "0x10d38086", NIC));
            assertFalse(matches("IOPCIPrimaryMatch", "0xa01f8086", NIC));
            assertTrue(matches("IOPCISecondaryMatch", "0xa01f8086", NIC));
            assertFalse(matches("IOPCISecondaryMatch", "0x10d38086", NIC));
        }

        @Test
        void classMatchIgnoresTheRevisionByDefaultAndHonoursMasks() {
            assertTrue(matches("IOPCIClassMatch", "0x02000000", NIC));
            assertTrue(matches("IOPCIClassMatch", "0x02000000&0xffff0000", NIC));
            assertTrue(matches("IOPCIClassMatch", "0x02ffff00&0xff000000", NIC));
            assertFalse(matches("IOPCIClassMatch", "0x03000000&0xff000000", NIC));
            assertTrue(matches("IOPCIClassMatch", "0x02000003&0xffffffff", NIC), "a full mask compares the revision");
            assertFalse(matches("IOPCIClassMatch", "0x02000004&0xffffffff", NIC));
        }

        @Test
        void itemsWithinAKeyAreOredAndUpperCaseMasksWork() {
            assertTrue(matches("IOPCIMatch", "0x9d608086&0xFFFCFFFF 0x10d08086&0xFFF0FFFF", NIC));
            assertFalse(matches("IOPCIMatch", "0x9d608086&0xFFFCFFFF 0x10e08086&0xFFF0FFFF", NIC));
        }

        @Test
        void keysAreAndedAndTheFirstFailureIsReported() {
            Map<String, Object> table = Map.of("IOPCIMatch", "0x00008086&0x0000ffff", "IOPCIClassMatch", "0x03000000&0xff000000");
            PciMatcher.Result result = PciMatcher.match(table, NIC, 0, true, true);
            assertFalse(result.matched());
            assertEquals(2, result.verdicts().size());
            assertTrue(result.verdicts().get(0).passed());
            assertFalse(result.verdicts().get(1).passed());
            assertTrue(result.verdicts().get(1).detail().contains("class/revision 0x02000003"), result.verdicts().get(1).detail());
        }

        @Test
        void aValueThatIsNotAStringNeverMatchesAndIsExplained() {
            PciMatcher.Result result = PciMatcher.match(Map.of("IOPCIMatch", 0x10d38086L), NIC, 0, true, true);
            assertFalse(result.matched());
            assertTrue(result.verdicts().get(0).detail().contains("an integer"), result.verdicts().get(0).detail());
            ChecksFamilyKeys.Problem problem = PciMatcher.warnings(Map.of("IOPCIMatch", List.of("0x10d38086"))).get(0);
            assertEquals("IOPCIMatch", problem.key());
            assertTrue(problem.message().contains("found an array"), problem.message());
        }

        @Test
        void aTableWithoutPciKeysMatchesAnyDevice() {
            assertTrue(PciMatcher.match(Map.of("IOClass", "Foo"), NIC, 5, true, false).matched());
        }
    }

    @Nested
    class Score {
        @Test
        void x86NeverChangesTheScore() {
            PciMatcher.Result result = PciMatcher.match(Map.of("IOPCIMatch", "0x10d38086"), NIC, 300, true, false);
            assertEquals(300, result.score());
        }

        @Test
        void arm64AddsAThousandForAPrimaryIoPciMatchHitOnly() {
            assertEquals(1300, PciMatcher.match(Map.of("IOPCIMatch", "0x10d38086"), NIC, 300, false, false).score());
            assertEquals(300, PciMatcher.match(Map.of("IOPCIMatch", "0xa01f8086"), NIC, 300, false, false).score(),
                    "a subsystem hit adds nothing");
            assertEquals(300, PciMatcher.match(Map.of("IOPCIPrimaryMatch", "0x10d38086"), NIC, 300, false, false).score());
            assertEquals(300, PciMatcher.match(Map.of("IOPCIClassMatch", "0x02000000"), NIC, 300, false, false).score());
        }
    }

    @Nested
    class Warnings {
        @Test
        void aCleanPersonalityHasNone() {
            assertEquals(List.of(), PciMatcher.warnings(Map.of("IOPCIMatch", "0x10d38086 0x10d48086",
                    "IOPCIClassMatch", "0x02000000&0xffff0000")));
        }

        @Test
        void eachWarningNamesTheKeyAndTheItem() {
            List<ChecksFamilyKeys.Problem> warnings = PciMatcher.warnings(Map.of("IOPCIPrimaryMatch", "0x10d38086&0x0xffffffff"));
            assertEquals(1, warnings.size());
            assertEquals("IOPCIPrimaryMatch", warnings.get(0).key());
            assertTrue(warnings.get(0).message().startsWith("\"0x10d38086&0x0xffffffff\": item '0x10d38086&0x0x"),
                    warnings.get(0).message());
            assertTrue(warnings.get(0).message().contains("matches every device"));
        }
    }
}
