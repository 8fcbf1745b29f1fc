package api

import "github.com/upshift-dev/upshift/compat/report"

// Rule IDs of `upshift compat api`. They are stable and never reused: a
// retired rule keeps its number. API0xx are incompatible API changes,
// API1xx compatible ones, MOD0xx go.mod changes.
const (
	RuleRemoved              = "API001"
	RuleTypeChanged          = "API002"
	RuleKindChanged          = "API003"
	RuleConstValueChanged    = "API004"
	RuleNoLongerImplements   = "API005"
	RuleInterfaceMethodAdded = "API006"
	RuleUnexportedMethod     = "API007"
	RuleNotComparable        = "API008"
	RuleChanDirection        = "API009"
	RulePackageRemoved       = "API010"
	RulePackageRenamed       = "API011"
	RuleOtherIncompatible    = "API099"

	RuleAdded            = "API101"
	RulePackageAdded     = "API102"
	RuleCompatibleChange = "API103"
	RuleOtherCompatible  = "API199"

	RuleModulePath        = "MOD001"
	RuleGoRaised          = "MOD002"
	RuleGoLowered         = "MOD003"
	RuleToolchainChanged  = "MOD004"
	RuleRequireAdded      = "MOD005"
	RuleRequireRemoved    = "MOD006"
	RuleRequireUpgraded   = "MOD007"
	RuleRequireDowngraded = "MOD008"
	RuleRetractAdded      = "MOD009"
	RuleRetractRemoved    = "MOD010"
	RuleReplaceChanged    = "MOD011"
)

// Rules lists every rule of the api subcommand in ID order.
var Rules = []report.Rule{
	{ID: RuleRemoved, Name: "removed", Summary: "exported identifier, field or method removed", Level: report.LevelError},
	{ID: RuleTypeChanged, Name: "type-changed", Summary: "type of an exported identifier changed incompatibly", Level: report.LevelError},
	{ID: RuleKindChanged, Name: "kind-changed", Summary: "identifier changed kind (const, var, func, type)", Level: report.LevelError},
	{ID: RuleConstValueChanged, Name: "const-value-changed", Summary: "value of an exported constant changed", Level: report.LevelError},
	{ID: RuleNoLongerImplements, Name: "no-longer-implements", Summary: "type no longer implements an interface of the package", Level: report.LevelError},
	{ID: RuleInterfaceMethodAdded, Name: "interface-method-added", Summary: "method added to an interface that users may implement", Level: report.LevelError},
	{ID: RuleUnexportedMethod, Name: "unexported-method-added", Summary: "unexported method added to an interface: it can no longer be implemented outside the package", Level: report.LevelError},
	{ID: RuleNotComparable, Name: "not-comparable", Summary: "struct type no longer comparable", Level: report.LevelError},
	{ID: RuleChanDirection, Name: "chan-direction", Summary: "channel direction changed", Level: report.LevelError},
	{ID: RulePackageRemoved, Name: "package-removed", Summary: "package removed from the module (or made internal or main)", Level: report.LevelError},
	{ID: RulePackageRenamed, Name: "package-renamed", Summary: "package name changed: importers without an explicit name break (golang/go#37003)", Level: report.LevelError},
	{ID: RuleOtherIncompatible, Name: "incompatible", Summary: "other incompatible change reported by apidiff", Level: report.LevelError},
	{ID: RuleAdded, Name: "added", Summary: "exported identifier, field or method added", Level: report.LevelNote},
	{ID: RulePackageAdded, Name: "package-added", Summary: "package added to the module", Level: report.LevelNote},
	{ID: RuleCompatibleChange, Name: "compatible-change", Summary: "compatible change (widened type, removed channel direction, func to var)", Level: report.LevelNote},
	{ID: RuleOtherCompatible, Name: "compatible", Summary: "other compatible change reported by apidiff", Level: report.LevelNote},
	{ID: RuleModulePath, Name: "module-path", Summary: "module path changed: every importer must change its imports", Level: report.LevelError},
	{ID: RuleGoRaised, Name: "go-raised", Summary: "go line raised: dependents need a newer toolchain", Level: report.LevelNote},
	{ID: RuleGoLowered, Name: "go-lowered", Summary: "go line lowered", Level: report.LevelNote},
	{ID: RuleToolchainChanged, Name: "toolchain", Summary: "toolchain line changed (a suggestion, ignored by dependents)", Level: report.LevelNote},
	{ID: RuleRequireAdded, Name: "require-added", Summary: "requirement added", Level: report.LevelNote},
	{ID: RuleRequireRemoved, Name: "require-removed", Summary: "requirement removed", Level: report.LevelNote},
	{ID: RuleRequireUpgraded, Name: "require-upgraded", Summary: "requirement upgraded: dependents are upgraded too (MVS)", Level: report.LevelNote},
	{ID: RuleRequireDowngraded, Name: "require-downgraded", Summary: "requirement downgraded (dependents with a higher requirement keep theirs)", Level: report.LevelNote},
	{ID: RuleRetractAdded, Name: "retract-added", Summary: "retraction added", Level: report.LevelNote},
	{ID: RuleRetractRemoved, Name: "retract-removed", Summary: "retraction removed", Level: report.LevelNote},
	{ID: RuleReplaceChanged, Name: "replace-changed", Summary: "replace directive changed (ignored by dependents)", Level: report.LevelNote},
}

// minorRules are the compatible changes that need a minor release.
var minorRules = map[string]bool{
	RuleAdded: true, RulePackageAdded: true, RuleCompatibleChange: true, RuleOtherCompatible: true,
	RuleGoRaised: true, RuleRequireAdded: true, RuleRequireUpgraded: true, RuleRequireDowngraded: true,
}

func ruleLevel(id string) report.Level {
	for _, r := range Rules {
		if r.ID == id {
			return r.Level
		}
	}
	return report.LevelError
}
