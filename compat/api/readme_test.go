package api

import (
	"testing"

	"github.com/upshift-dev/upshift/compat/report/reporttest"
)

func TestReadmeRules(t *testing.T) { reporttest.ReadmeRules(t, Rules, *update) }

func TestRuleIDsUnique(t *testing.T) { reporttest.RuleIDsUnique(t, Rules) }
