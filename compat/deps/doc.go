// Package deps tells a module's owners what moving a dependency does to
// their code: `upshift compat deps -module OLD -to NEW[@VERSION]`.
//
// It diffs the API of the old packages the code imports against their
// counterparts in NEW (golang.org/x/exp/apidiff; NEW is a later version, a
// new major path, or a standard library package), and crosses the diff
// with the code's type-checked uses: every use of a removed or changed
// identifier, at file:line:col, with the replacement. A curated table of
// well-known migrations (migrations.json, every fact with its public
// source) adds the semantic hazards that no API diff shows: yaml.v3's map
// types, pkg/errors' nil-keeping Wrap, protojson's unstable bytes.
//
// Plan lists the table entries that apply to a module.
package deps
