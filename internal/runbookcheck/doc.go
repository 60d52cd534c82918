// Package runbookcheck holds the test that keeps docs/runbooks honest: every
// physical name of the prod stack a runbook quotes in backquotes
// (morpheus-ha-prod-…, /morpheus-ha/prod/…, alias/morpheus-ha-prod-…) must be
// a name the prod plan really registers, so a renamed resource or a typo in a
// runbook's command fails `make test` instead of an operator at 3 a.m.
package runbookcheck
