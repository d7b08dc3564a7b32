/**
 * Machine descriptions: the plist file that lists a simulated machine's devices, and the built-in
 * default machine used when none is given.
 */
package org.kextkit.harness.machine;
