/**
 * The kext plugin's workings, kept apart from the goals so they can be tested without Maven:
 * Info.plist filtering, the bundle version derived from the project version, the reproducible
 * {@code .kext.zip}, and running the harness's commands in the build's JVM.
 */
package org.kextkit.maven.internal;
