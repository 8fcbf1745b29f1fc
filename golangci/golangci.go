// Package golangci registers upshift's analyzers as a golangci-lint v2
// module plugin named "upshift". Build a custom golangci-lint with it
// (`golangci-lint custom`, see README.md) and enable the linter:
//
//	linters:
//	  enable: [upshift]
//	  settings:
//	    custom:
//	      upshift:
//	        type: module
//	        settings:
//	          analyzers: [maporder, bytestring]   # names or rule IDs; all when absent
//	          tier: safe                          # fixes --fix may apply: safe (default) or behavior
//	          flags: {godebug.to: go1.26}         # analyzer flags, as -<analyzer>.<flag>
//
// Settings are decoded strictly: an unknown key is an error. Every
// diagnostic carries at most one fix, as golangci-lint's --fix requires.
package golangci

import (
	"fmt"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite"
)

// Name is the linter's name in golangci-lint's configuration.
const Name = "upshift"

func init() {
	register.Plugin(Name, New)
}

// Settings are the plugin's settings in .golangci.yml.
type Settings struct {
	// Analyzers lists the analyzers to run, by name or rule ID; all of
	// them when empty.
	Analyzers []string `json:"analyzers"`
	// Tier is the highest tier of fix offered to --fix: "safe" (the
	// default: fixes that keep behaviour) or "behavior".
	Tier string `json:"tier"`
	// Flags sets analyzer flags by their -<analyzer>.<flag> name without
	// the dash, e.g. "godebug.to": "go1.26".
	Flags map[string]string `json:"flags"`
}

// Plugin is upshift as a golangci-lint linter.
type Plugin struct {
	analyzers []*analysis.Analyzer
	tier      tier.Tier
	flags     map[string]string
}

// New decodes the settings and checks them; golangci-lint calls it once.
func New(raw any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](raw)
	if err != nil {
		return nil, fmt.Errorf("upshift settings: %w", err)
	}
	p := &Plugin{tier: tier.Safe, flags: s.Flags}
	switch tier.Tier(s.Tier) {
	case "", tier.Safe:
	case tier.Behavior:
		p.tier = tier.Behavior
	default:
		return nil, fmt.Errorf("upshift settings: tier %q: use safe or behavior", s.Tier)
	}
	if len(s.Analyzers) == 0 {
		p.analyzers = registry.Analyzers()
	}
	for _, name := range s.Analyzers {
		c, ok := registry.Lookup(name)
		if !ok {
			var names []string
			for _, c := range registry.Checks() {
				names = append(names, c.Name)
			}
			return nil, fmt.Errorf("upshift settings: unknown analyzer %q (have %s)", name, strings.Join(names, ", "))
		}
		p.analyzers = append(p.analyzers, c.Analyzer)
	}
	for key, value := range s.Flags {
		if err := setFlag(key, value); err != nil {
			return nil, fmt.Errorf("upshift settings: flags: %w", err)
		}
	}
	return p, nil
}

// setFlag sets the analyzer flag named "analyzer.flag".
func setFlag(key, value string) error {
	name, flag, ok := strings.Cut(key, ".")
	if !ok {
		return fmt.Errorf("%q: want analyzer.flag", key)
	}
	c, found := registry.Lookup(name)
	if !found {
		return fmt.Errorf("%q: no analyzer %s", key, name)
	}
	if c.Analyzer.Flags.Lookup(flag) == nil {
		return fmt.Errorf("%q: analyzer %s has no flag %s", key, name, flag)
	}
	if err := c.Analyzer.Flags.Set(flag, value); err != nil {
		return fmt.Errorf("%q: %w", key, err)
	}
	return nil
}

// BuildAnalyzers returns the selected analyzers. Their fixes are built up
// to the configured tier: golangci-lint applies every fix it is given.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	rewrite.SetWanted(true)
	rewrite.SetMaxTier(p.tier)
	return p.analyzers, nil
}

// GetLoadMode says that the analyzers need type information.
func (p *Plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
