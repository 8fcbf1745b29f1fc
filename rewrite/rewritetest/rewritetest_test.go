package rewritetest_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/internal/tier"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/upshift-dev/upshift/rewrite/rewritetest"
)

var renamer = rewritetest.Renamer("renamer", tier.Safe, map[string]string{"old": "newf"})

func TestCheckGoldenPasses(t *testing.T) {
	rewritetest.CheckGolden(t, analysistest.TestData(), renamer, "ok")
}

func TestGoldenProblems(t *testing.T) {
	cases := map[string]string{
		"broken":      "the fixed package does not compile: " + filepath.Join(analysistest.TestData(), "src", "broken", "use.go") + ":5:9: undefined: missing",
		"loop":        "use.go:5: a second run still fixes \"old is old\": the fix does not converge",
		"lostcomment": "use.go.golden lost the comment \"// the old way\"",
		"unformatted": "use.go.golden is not gofmt-formatted",
	}
	for pkg, want := range cases {
		t.Run(pkg, func(t *testing.T) {
			problems, err := rewritetest.GoldenProblems(t.TempDir(), analysistest.TestData(), renamer, pkg)
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) != 1 || !strings.HasSuffix(problems[0], want) {
				t.Errorf("problems = %q, want one ending in %q", problems, want)
			}
		})
	}
}

func TestGoldenProblemsNeedsAGolden(t *testing.T) {
	_, err := rewritetest.GoldenProblems(t.TempDir(), analysistest.TestData(), renamer, "nogolden")
	if err == nil {
		t.Fatal("a package without packages or golden files must be an error")
	}
}

func FuzzRenamer(f *testing.F) {
	rewritetest.Fuzz(f, renamer,
		"package p\n\nfunc old() int { return 1 }\nfunc newf() int { return 2 }\n\nvar x = old() // comment\n",
		"package q\n\nimport \"strings\"\n\nfunc old(s string) string { return strings.ToUpper(s) }\n\nfunc f() { _ = old(\"a\") }\n",
	)
}
