/**
 * Load-time checks of kext bytecode: the static pass over a kext's jar (recursion, large frames,
 * user-space APIs, floating point, naming) and the instrumentation that keeps each kernel thread's
 * stack account and reports kext entry points.
 */
package org.kextkit.harness.check.instrument;
