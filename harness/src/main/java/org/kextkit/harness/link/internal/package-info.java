/**
 * Read class files for the link package: the classes a class refers to, and whether a
 * {@code Kext-Module-Class} is usable. Not API; only {@code org.kextkit.harness.link} uses it.
 */
package org.kextkit.harness.link.internal;
