/**
 * Link kexts: give each loaded kext its own class loader, check its bytecode against what it
 * declares before any of its code runs, and work out what it should declare ({@code kextlibs}).
 *
 * <p>A kext sees the JDK's {@code java.*} packages of {@code java.base} ({@link
 * org.kextkit.harness.link.JdkAllowList}), the kit packages of the KPIs it declares ({@link
 * org.kextkit.harness.link.KpiExports}), its own jar, and the jars of the kexts it links against
 * directly; nothing else. {@link org.kextkit.harness.link.KextLinker} runs the {@link
 * org.kextkit.harness.link.LinkChecker} and, if it passes, creates the {@link
 * org.kextkit.harness.link.KextClassLoader}. {@link org.kextkit.harness.link.KextLibs} answers the
 * opposite question: which libraries a kext's code needs. See {@code docs/linking.md}.
 */
package org.kextkit.harness.link;
