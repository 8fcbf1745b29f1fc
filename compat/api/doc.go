// Package api implements `upshift compat api`: the Go API compatibility of
// two versions of a module.
//
// It runs golang.org/x/exp/apidiff on every pair of public packages (main
// and internal packages are not API) and adds what apidiff lacks:
//
//   - file:line positions of each changed declaration on both sides,
//     found by resolving apidiff's object names in each side's packages;
//   - stable rule IDs (API0xx incompatible, API1xx compatible, MOD0xx
//     go.mod), never reused;
//   - removed, added and renamed packages (a package name change breaks
//     importers that rely on the default name, golang/go#37003);
//   - the go.mod diff: module path, go and toolchain lines, requirements
//     added, removed, upgraded or downgraded, retractions, replacements;
//   - a semver verdict (major, minor, patch) listing every reason.
//
// apidiff ignores struct tags on purpose: tags change the data format, not
// the API, and are the job of package wire.
package api
