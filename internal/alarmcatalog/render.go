package alarmcatalog

import (
	"strconv"
	"strings"
)

// Columns heads the alarm table in docs/monitoring.md.
var Columns = []string{"Key", "Tier", "Metric", "Default", "Unit", "Comparison", "Window", "Missing data", "Reason"}

// comparisonSymbols render the CloudWatch operators the way people read them.
var comparisonSymbols = map[string]string{
	Greater:        ">",
	GreaterOrEqual: "≥",
	Less:           "<",
}

// Symbol is the comparison as a symbol (">", "≥", "<").
func (e Entry) Symbol() string { return comparisonSymbols[e.Comparison] }

// Window renders the evaluation: "300 s, 2 of 3".
func (e Entry) Window() string {
	return strconv.Itoa(e.Period) + " s, " + strconv.Itoa(e.DatapointsToAlarm) + " of " + strconv.Itoa(e.Evaluations)
}

// Cells renders the entry as one table row, in Columns order.
func (e Entry) Cells() []string {
	return []string{
		"`" + e.Key + "`", string(e.Tier), e.Metric, FormatNumber(e.Default), e.Unit,
		e.Symbol(), e.Window(), e.TreatMissingData, e.Reason,
	}
}

// Table renders the whole catalog as a Markdown table.
func Table() string {
	var b strings.Builder
	writeRow(&b, Columns)
	sep := make([]string, len(Columns))
	for i := range sep {
		sep[i] = "---"
	}
	writeRow(&b, sep)
	for _, e := range Entries {
		writeRow(&b, e.Cells())
	}
	return b.String()
}

func writeRow(b *strings.Builder, cells []string) {
	b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
}

// FormatNumber renders a threshold without trailing zeros (0.05, 10, 20480).
func FormatNumber(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}
