/**
 * The goals of the kext Maven plugin (goal prefix {@code kext}) and the {@code kext} packaging they
 * make up: {@code info-plist}, {@code bundle}, {@code check}, {@code kextlibs} and {@code load}.
 * docs/maven-plugin.md describes each goal and parameter.
 */
package org.kextkit.maven;
