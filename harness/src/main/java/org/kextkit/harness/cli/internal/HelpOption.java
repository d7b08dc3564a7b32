package org.kextkit.harness.cli.internal;

import picocli.CommandLine.Option;

/**
 * Declare kext_tools' help option, {@code -h}/{@code -help} (and {@code --help}).
 */
public final class HelpOption {
    @Option(names = {"-h", "-help", "--help"}, usageHelp = true, order = 99,
            description = "Print this help and exit.")
    boolean help;
}
