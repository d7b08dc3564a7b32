package org.kextkit.harness.cli.kextfind;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.kextkit.harness.bundle.KextBundle;

/**
 * Hold kextfind's commands: query elements that print something about the kext and evaluate to true.
 */
final class Commands {
    private Commands() {
    }

    /** What a print command prints. */
    enum Kind {
        PRINT, PRINT_DIAGNOSTICS, PRINT_PROPERTY, PRINT_MATCH_PROPERTY, PRINT_DEPENDENCIES, PRINT_DEPENDENTS,
        PRINT_PLUGINS, PRINT_INTEGRITY, PRINT_INFO_DICTIONARY, PRINT_EXECUTABLE
    }

    /**
     * Print something about the kext, each line ending in {@code terminator} ({@code '\n'}, or
     * {@code '\0'} with {@code -0}).
     */
    record Print(Kind kind, String key, char terminator) implements Expr {
        @Override
        public boolean evaluate(KextBundle kext, Evaluation evaluation) {
            PrintWriter out = evaluation.out();
            PathSpec paths = evaluation.pathSpec();
            switch (kind) {
                case PRINT:
                    out.print(paths.format(kext) + terminator);
                    break;
                case PRINT_DIAGNOSTICS:
                    evaluation.runAllChecks(kext);
                    out.print(kext.diagnostics().format());
                    break;
                case PRINT_PROPERTY: {
                    NSObject value = kext.archValue(key);
                    if (value != null) {
                        out.print(PropertyValues.printed(key, value) + terminator);
                    }
                    break;
                }
                case PRINT_MATCH_PROPERTY:
                    for (Map.Entry<String, NSObject> personality : kext.personalities().entrySet()) {
                        if (personality.getValue() instanceof NSDictionary) {
                            NSObject value = ((NSDictionary) personality.getValue()).objectForKey(key);
                            if (value != null) {
                                out.print(personality.getKey() + ": " + PropertyValues.printed(key, value) + terminator);
                            }
                        }
                    }
                    break;
                case PRINT_DEPENDENCIES:
                    printAll(evaluation.catalog().dependencies(kext), out, paths);
                    break;
                case PRINT_DEPENDENTS:
                    printAll(evaluation.catalog().dependents(kext), out, paths);
                    break;
                case PRINT_PLUGINS:
                    printAll(kext.plugins(), out, paths);
                    break;
                case PRINT_INTEGRITY:
                    out.print("n/a" + terminator);
                    break;
                case PRINT_INFO_DICTIONARY:
                    out.print(paths.format(kext, kext.infoPlistPath()) + terminator);
                    break;
                case PRINT_EXECUTABLE: {
                    Path executable = kext.executablePath();
                    if (executable != null) {
                        out.print(paths.format(kext, executable) + terminator);
                    }
                    break;
                }
                default:
                    throw new IllegalStateException(kind.name());
            }
            return true;
        }

        private void printAll(List<KextBundle> kexts, PrintWriter out, PathSpec paths) {
            for (KextBundle k : kexts) {
                out.print(paths.format(k) + terminator);
            }
        }
    }

    /** Print a fixed string ({@code -echo [-n] [-0] string}). */
    record Echo(String text, boolean newline, char terminator) implements Expr {
        @Override
        public boolean evaluate(KextBundle kext, Evaluation evaluation) {
            evaluation.out().print(newline ? text + terminator : text);
            return true;
        }
    }
}
