package org.kextkit.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.support.CliResult;
import org.kextkit.harness.cli.support.World;
import picocli.CommandLine.Command;

class KextkitCommandTest {
    @TempDir
    Path tmp;

    private static CliResult run(CliContext context, String... args) {
        return World.run(context, Path.of("/"), args);
    }

    private static void assertNoStackTrace(CliResult r) {
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void anUnknownCommandIsNamedWithSuggestionsAndTheUsage() {
        CliResult r = run(CliContext.builder().build(), "kextlaod", "Foo.kext");
        assertEquals(ExitCodes.EX_USAGE, r.status());
        assertEquals("kextkit: 'kextlaod' is not a kextkit command.\n"
                + "Did you mean: kextload?\n"
                + "Usage: kextkit [-hV] [COMMAND]\n"
                + "Try 'kextkit -h' for more information.\n", r.err());
        assertNoStackTrace(r);
    }

    @Test
    void aMistypedLongOptionGetsASuggestion() {
        CliResult r = run(CliContext.builder().build(), "kextstat", "-list-onyl");
        assertEquals(ExitCodes.EX_USAGE, r.status());
        assertTrue(r.err().startsWith("kextstat: Unknown option: '-list-onyl'\nDid you mean: -list-only?\n"), r.err());
    }

    @Test
    void anUnknownOptionIsOneLineThenTheSynopsis() {
        CliResult r = run(CliContext.builder().build(), "kextstat", "-y");
        assertEquals(ExitCodes.EX_USAGE, r.status());
        assertEquals("kextstat: Unknown option: '-y'\n"
                + "Usage: kextkit kextstat [-ahkls] [-b ID]...\n"
                + "Try 'kextkit kextstat -h' for more information.\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void aMissingOptionArgumentIsAUsageError() {
        for (String[] args : List.of(new String[] {"kextunload", "-c"}, new String[] {"kextutil", "-r"},
                new String[] {"kextlibs", "-r"}, new String[] {"kextstat", "-b"})) {
            CliResult r = run(CliContext.builder().build(), args);
            assertEquals(ExitCodes.EX_USAGE, r.status(), String.join(" ", args));
            assertTrue(r.err().startsWith(args[0] + ": Missing required parameter for option "), r.err());
            assertNoStackTrace(r);
        }
    }

    @Test
    void noCommandIsAUsageError() {
        CliResult r = run(CliContext.builder().build());
        assertEquals(ExitCodes.EX_USAGE, r.status());
        assertTrue(r.err().startsWith("kextkit: no command given.\nUsage: kextkit"), r.err());
    }

    @Test
    void versionNamesKextkitAndTheHostedKernel() {
        CliResult r = run(CliContext.builder().kernelVersion("19.6.0").arch("arm64").build(), "--version");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("kextkit "), r.out());
        assertTrue(r.out().endsWith("\nhosted kernel 19.6.0 (arm64)\n"), r.out());
    }

    @Test
    void helpForEveryCommandListsItsExitStatus() {
        for (String command : List.of("kextload", "kextunload", "kextstat", "kextutil", "kextlibs", "kextfind")) {
            CliResult r = run(CliContext.builder().build(), "help", command);
            assertEquals(0, r.status(), command);
            assertTrue(r.out().contains("Exit status:"), command + ":\n" + r.out());
            assertTrue(r.out().contains("64"), command);
        }
        CliResult unknown = run(CliContext.builder().build(), "help", "kextfoo");
        assertEquals(ExitCodes.EX_USAGE, unknown.status());
        assertNoStackTrace(unknown);
    }

    @Test
    void singleDashLongAliasesWorkLikeTheShortOptions() {
        World world = new World(tmp);
        assertEquals(world.run("kextstat", "-l", "-k", "-b", "com.apple.kpi.bsd").out(),
                world.run("kextstat", "-list-only", "-no-kernel", "-bundle-id", "com.apple.kpi.bsd").out());
        assertEquals(world.run("kextstat", "-lk").out(), world.run("kextstat", "-l", "-k").out());
    }

    @Test
    void anUnexpectedFailureInsideACommandIsOneLineWithTheCommandsUnspecifiedStatus() {
        KernelPort broken = new KernelPort() {
            @Override
            public List<KextstatRow> loadedKexts() {
                throw new IllegalStateException("kernel table corrupted");
            }

            @Override
            public KernelResponse load(LoadRequest request) {
                throw new IllegalStateException("kernel table corrupted");
            }

            @Override
            public KernelResponse unload(String bundleIdentifier, UnloadMode mode) {
                throw new IllegalStateException("kernel table corrupted");
            }

            @Override
            public KernelResponse terminateInstances(String className) {
                throw new IllegalStateException("kernel table corrupted");
            }
        };
        CliContext context = CliContext.builder().kernel(broken).build();
        CliResult stat = run(context, "kextstat");
        assertEquals(ExitCodes.EX_SOFTWARE, stat.status());
        assertEquals("kextstat: internal error - IllegalStateException: kernel table corrupted\n", stat.err());
        assertEquals(10, run(context, "kextload", "/tmp/Foo.kext").status());
        assertEquals(ExitCodes.EX_SOFTWARE, run(context, "kextunload", "-b", "com.example.Foo").status());
    }

    @Command(name = "status", description = "Say whether the kernel runs.")
    static final class StatusCommand implements Runnable {
        private final CliInvocation invocation;

        StatusCommand(CliInvocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public void run() {
            invocation.out().print("kernel " + invocation.context().kernelVersion() + " in " + invocation.cwd() + "\n");
        }
    }

    @Test
    void extraCommandsFromTheContextRunBesideTheKextCommands() {
        CliContext context = CliContext.builder().extraCommand("status", StatusCommand::new).build();
        CliResult r = World.run(context, tmp, "status");
        assertEquals(0, r.status(), r.toString());
        assertEquals("kernel " + CliContext.DEFAULT_KERNEL_VERSION + " in " + tmp + "\n", r.out());
        assertTrue(run(context, "--help").out().contains("status"));
    }

    @Test
    void mainUsesTheRegisteredProviderWithRealServicesAndTheDaemonCommands() {
        CliContext context = Main.context();
        assertTrue(context.kernel().isPresent(), "kextutil needs a kernel of its own");
        assertTrue(context.inspector().isPresent());
        assertTrue(context.kextLibs().isPresent());
        String help = run(context, "--help").out();
        assertTrue(help.contains("boot") && help.contains("status") && help.contains("shutdown"), help);
    }

    @Test
    void relativeWorkingDirectoriesAreRejected() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new CliInvocation(Path.of("relative"), new java.io.PrintWriter(java.io.Writer.nullWriter()),
                        new java.io.PrintWriter(java.io.Writer.nullWriter()), CliContext.builder().build()));
        assertTrue(e.getMessage().contains("not an absolute path"));
    }
}
