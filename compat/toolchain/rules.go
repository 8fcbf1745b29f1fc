package toolchain

import "github.com/upshift-dev/upshift/compat/report"

// Rule IDs of `upshift compat toolchain`, stable and never reused.
const (
	// RuleRegression: a test passes under the old toolchain only.
	RuleRegression = "TC001"
	// RuleBuildRegression: a package builds under the old toolchain only.
	RuleBuildRegression = "TC002"
	// RuleFixed: a test passes under the new toolchain only.
	RuleFixed = "TC003"
	// RuleBuildFixed: a package builds under the new toolchain only.
	RuleBuildFixed = "TC004"
	// RuleOutcomeChanged: another difference (pass and skip, a test that
	// runs on one side only).
	RuleOutcomeChanged = "TC005"
	// RuleGodebug: a GODEBUG default differs between the two go lines.
	RuleGodebug = "TC010"
)

// Rules lists every rule of the toolchain subcommand in ID order.
var Rules = []report.Rule{
	{ID: RuleRegression, Name: "test-regression", Summary: "test passes under the old toolchain and not under the new one", Level: report.LevelError},
	{ID: RuleBuildRegression, Name: "build-regression", Summary: "package builds under the old toolchain and not under the new one", Level: report.LevelError},
	{ID: RuleFixed, Name: "test-fixed", Summary: "test passes under the new toolchain only", Level: report.LevelNote},
	{ID: RuleBuildFixed, Name: "build-fixed", Summary: "package builds under the new toolchain only", Level: report.LevelNote},
	{ID: RuleOutcomeChanged, Name: "outcome-changed", Summary: "test outcome differs otherwise (skip, absent)", Level: report.LevelNote},
	{ID: RuleGodebug, Name: "godebug-default", Summary: "GODEBUG default differs between the two go lines", Level: report.LevelNote},
}

func ruleLevel(id string) report.Level {
	for _, r := range Rules {
		if r.ID == id {
			return r.Level
		}
	}
	return report.LevelError
}
