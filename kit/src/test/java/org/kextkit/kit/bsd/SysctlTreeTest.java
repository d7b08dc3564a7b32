package org.kextkit.kit.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.internal.SysctlException;
import org.kextkit.kit.internal.SysctlTree;

class SysctlTreeTest {
    private final List<String> log = new ArrayList<>();
    private final SysctlTree tree = new SysctlTree(log::add);

    private void register(SysctlOid oid) {
        tree.register(oid, SysctlTreeTest.class, null);
    }

    private static int errno(Executable call) {
        return assertThrows(SysctlException.class, call::run).errno();
    }

    private interface Executable {
        void run() throws Exception;
    }

    @Test
    void anIntUnderAKextNodeReadsAndWritesAsSysctlDoes() throws Exception {
        register(SysctlOid.SYSCTL_NODE("debug", "mykext", Sysctl.CTLFLAG_RW, "my kext"));
        SysctlOid level = SysctlOid.SYSCTL_INT("debug.mykext", "level", Sysctl.CTLFLAG_RW, 3, "log level");
        register(level);

        assertEquals("3", tree.read("debug.mykext.level"));
        assertEquals("3", tree.write("debug.mykext.level", "0x10"));
        assertEquals(16, level.intValue(), "the kext sees what user space wrote");
        level.setIntValue(7);
        assertEquals("7", tree.read("debug.mykext.level"), "and user space what the kext set");
        assertEquals(List.of(), log);
    }

    @Test
    void errorsAreTheErrnosSysctlReports() {
        register(SysctlOid.SYSCTL_INT("debug", "ro", Sysctl.CTLFLAG_RD, 1, ""));
        register(SysctlOid.SYSCTL_QUAD("debug", "big", Sysctl.CTLFLAG_RW, 1L << 40, ""));
        register(SysctlOid.SYSCTL_STRING("debug", "name", Sysctl.CTLFLAG_RW, "abc", 4, ""));

        assertEquals(Sysctl.ENOENT, errno(() -> tree.read("debug.nothing")));
        assertEquals(Sysctl.EPERM, errno(() -> tree.write("debug.ro", "2")));
        assertEquals(Sysctl.EISDIR, errno(() -> tree.read("debug")));
        SysctlException notANumber = assertThrows(SysctlException.class, () -> tree.write("debug.big", "lots"));
        assertEquals(Sysctl.EINVAL, notANumber.errno());
        assertTrue(notANumber.getMessage().contains("debug.big is a quad: expected a decimal or 0x hexadecimal integer, not 'lots'"),
                notANumber.getMessage());
        assertEquals(Sysctl.EINVAL, errno(() -> tree.write("debug.name", "abcde")), "longer than the buffer");
    }

    @Test
    void aProcedureComputesItsValueAndMayRefuseAWrite() throws Exception {
        int[] state = {5};
        register(SysctlOid.SYSCTL_PROC("debug", "even", Sysctl.CTLFLAG_RW, SysctlOid.Kind.INT, (oid, request) -> {
            request.setOldValue(state[0]);
            if (request.isWrite()) {
                int proposed = (Integer) request.newValue();
                if (proposed % 2 != 0) {
                    return Sysctl.EINVAL;
                }
                state[0] = proposed;
            }
            return 0;
        }, "an even number"));

        assertEquals("5", tree.read("debug.even"));
        assertEquals("5", tree.write("debug.even", "8"));
        assertEquals(8, state[0]);
        assertEquals(Sysctl.EINVAL, errno(() -> tree.write("debug.even", "9")));
        assertEquals(8, state[0]);
    }

    @Test
    void aTakenNameOrAMissingParentIsRefusedWithALogLine() {
        register(SysctlOid.SYSCTL_INT("debug", "x", Sysctl.CTLFLAG_RW, 1, ""));
        register(SysctlOid.SYSCTL_INT("debug", "x", Sysctl.CTLFLAG_RW, 2, ""));
        register(SysctlOid.SYSCTL_INT("debug.nonode", "y", Sysctl.CTLFLAG_RW, 1, ""));

        assertEquals(1, tree.list("debug").size());
        assertEquals(2, log.size(), log::toString);
        assertTrue(log.get(0).contains("can't register debug.x: the name is already in use"), log::toString);
        assertTrue(log.get(1).contains("its parent debug.nonode is not a registered sysctl node"), log::toString);
    }

    @Test
    void unregisteringWhatIsNotRegisteredIsLoggedAndIgnored() {
        SysctlOid oid = SysctlOid.SYSCTL_INT("debug", "gone", Sysctl.CTLFLAG_RW, 1, "");
        tree.unregister(oid, SysctlTreeTest.class, null);
        assertEquals(List.of("sysctl_unregister_oid: debug.gone is not registered"), log);
    }

    @Test
    void removeOwnedByWithdrawsOnlyTheOidsOfOneLoader() {
        register(SysctlOid.SYSCTL_INT("debug", "mine", Sysctl.CTLFLAG_RW, 1, ""));
        tree.publish(SysctlOid.SYSCTL_STRING("kern", "ostype", Sysctl.CTLFLAG_RD, "Darwin", 0, ""));

        List<SysctlTree.Entry> removed = tree.removeOwnedBy(SysctlTreeTest.class.getClassLoader());

        assertEquals(List.of("debug.mine"), removed.stream().map(e -> e.oid().fullName()).toList());
        assertEquals(List.of("kern.ostype"), tree.list("").stream().map(e -> e.oid().fullName()).toList());
    }

    @Test
    void aNameWithADotIsNotOneComponent() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SysctlOid.SYSCTL_INT("debug", "a.b", Sysctl.CTLFLAG_RW, 0, ""));
        assertTrue(e.getMessage().contains("'a.b'"));
    }
}
