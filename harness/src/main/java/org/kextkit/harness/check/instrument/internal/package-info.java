/** The bytecode scanning, call-graph analysis and class rewriting behind the load-time checks. */
package org.kextkit.harness.check.instrument.internal;
