// Package toolchain implements `upshift compat toolchain`: run a module's
// tests under two Go toolchains and report what changes.
//
// Each side is copied to a scratch directory. The old side's go line is
// lowered when the old toolchain is older than it (the go command refuses
// a newer go line); the new side's go line is raised to the new version,
// because the go line selects the language version (loop variable
// semantics) and the GODEBUG defaults, unless KeepGoLine is set. Both run
// `go test -json` with GOTOOLCHAIN naming the exact toolchain, which the go
// command downloads through the module proxy.
//
// Outcomes are compared per package (build failures included: since
// go1.24 they are build-output and build-fail actions in the JSON stream,
// before that they are on stderr) and per test; a test that passes on one
// side only is reported with its output. The GODEBUG settings whose
// defaults differ between the two go lines come from the godebug
// analyzer's table, checked against `go list -f {{.DefaultGODEBUG}}`.
package toolchain
