/**
 * The checkers' common language: findings, their sites and severities, the catalogue of check ids,
 * and the sink checks report to.
 */
package org.kextkit.harness.check;
