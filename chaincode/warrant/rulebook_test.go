package warrant

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var (
	ruleHeading  = regexp.MustCompile(`(?m)^## (R[0-9]+[a-z]?) — `)
	ruleCitation = regexp.MustCompile(`\bR[0-9]+[a-z]?\b`)
	testFunc     = regexp.MustCompile(`(?m)^func ((?:Test|Fuzz|Benchmark)[A-Za-z0-9_]+)\(`)
	testName     = regexp.MustCompile("`((?:Test|Fuzz|Benchmark)[A-Za-z0-9_]+)`")
)

// TestRulebook checks docs/RULES.md against the repository: every rule number cited in
// code, tests, CLI help, scripts or docs is defined there, and every rule names at least
// one test, each of which exists.
func TestRulebook(t *testing.T) {
	root := repositoryRoot(t)
	book, err := os.ReadFile(filepath.Join(root, "docs", "RULES.md"))
	require.NoError(t, err)
	sections := rulebookSections(string(book))
	require.NotEmpty(t, sections)

	tests := map[string]bool{}
	cited := map[string][]string{}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules" || name == "bin") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".md", ".sh", ".yaml", ".yml":
		default:
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.HasSuffix(path, "_test.go") {
			for _, m := range testFunc.FindAllStringSubmatch(string(data), -1) {
				tests[m[1]] = true
			}
		}
		rel, _ := filepath.Rel(root, path)
		for _, rule := range ruleCitation.FindAllString(string(data), -1) {
			cited[rule] = append(cited[rule], rel)
		}
		return nil
	})
	require.NoError(t, err)

	for rule, files := range cited {
		_, defined := sections[rule]
		require.True(t, defined, "%s is cited (e.g. in %s) but not defined in docs/RULES.md", rule, files[0])
	}
	for rule, text := range sections {
		named := testName.FindAllStringSubmatch(testsOf(text), -1)
		require.NotEmpty(t, named, "%s names no test", rule)
		for _, m := range named {
			require.True(t, tests[m[1]], "%s names %s, which does not exist", rule, m[1])
		}
	}
}

// rulebookSections maps each rule number of the rulebook to its section's text.
func rulebookSections(book string) map[string]string {
	sections := map[string]string{}
	headings := ruleHeading.FindAllStringSubmatchIndex(book, -1)
	for i, h := range headings {
		end := len(book)
		if i+1 < len(headings) {
			end = headings[i+1][0]
		}
		if next := strings.Index(book[h[1]:end], "\n## "); next >= 0 {
			end = h[1] + next
		}
		sections[book[h[2]:h[3]]] = book[h[1]:end]
	}
	return sections
}

// testsOf returns the "- Tests:" item of a rule's section.
func testsOf(section string) string {
	i := strings.Index(section, "- Tests:")
	if i < 0 {
		return ""
	}
	rest := section[i:]
	if j := strings.Index(rest[1:], "\n- "); j >= 0 {
		rest = rest[:j+1]
	}
	return rest
}

// repositoryRoot is the directory of the module's go.mod above the test's directory.
func repositoryRoot(t *testing.T) string {
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "no go.mod above the test")
		dir = parent
	}
}
