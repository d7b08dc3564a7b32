/**
 * Writers that print a {@link org.kextkit.harness.check.FindingsReport}: human text, JSON, SARIF 2.1.0
 * and JUnit XML (see docs/checks.md, "Reports").
 */
package org.kextkit.harness.check.report;
