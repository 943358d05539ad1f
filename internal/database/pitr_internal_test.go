package database

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The archive command copies a segment under its name, takes the same
// segment again (a retry after a crash), and refuses another file of that
// name: two clusters archiving into one folder must not mix.
func TestPITRArchiveCommandNeverOverwrites(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	archive := filepath.Join(dir, "archive")
	if err := os.Mkdir(archive, 0o700); err != nil {
		t.Fatal(err)
	}
	segment := filepath.Join(dir, "000000010000000000000003")
	archiveOnce := func(content string) error {
		t.Helper()
		if err := os.WriteFile(segment, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		// Postgres substitutes %p and %f, then runs the command with sh.
		cmd := strings.NewReplacer("%p", segment, "%f", filepath.Base(segment)).Replace(archiveCommand(archive))
		return exec.Command("sh", "-c", cmd).Run()
	}
	if err := archiveOnce("first"); err != nil {
		t.Fatalf("archiving a new segment: %v", err)
	}
	if err := archiveOnce("first"); err != nil {
		t.Errorf("archiving the same segment again: %v", err)
	}
	if err := archiveOnce("other"); err == nil {
		t.Error("a different file under an archived name was accepted")
	}
	got, err := os.ReadFile(filepath.Join(archive, filepath.Base(segment)))
	if err != nil || string(got) != "first" {
		t.Errorf("the archive holds %q (%v), want the first copy", got, err)
	}
	if left, _ := filepath.Glob(filepath.Join(archive, "*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left in the archive: %v", left)
	}
}

// A block of settings replaces the one written before, and goes away
// leaving the rest of the file as it was.
func TestPITRConfBlockReplacesItsOwnLines(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "postgresql.conf")
	const orig = "port = 5432\nfsync = off\n"
	if err := os.WriteFile(path, []byte(orig), 0o600); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		lines   []string
		changed bool
		want    string
	}{
		{[]string{"archive_mode = on"}, true, orig + "# pasokan: begin x\narchive_mode = on\n# pasokan: end x\n"},
		{[]string{"archive_mode = on"}, false, orig + "# pasokan: begin x\narchive_mode = on\n# pasokan: end x\n"},
		{[]string{"archive_mode = off", "a = 1"}, true, orig + "# pasokan: begin x\narchive_mode = off\na = 1\n# pasokan: end x\n"},
		{nil, true, orig},
		{nil, false, orig},
	}
	for i, s := range steps {
		changed, err := setConfBlock(path, "x", s.lines)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(path)
		if changed != s.changed || string(b) != s.want {
			t.Errorf("step %d: changed %v, file\n%s\nwant changed %v, file\n%s", i, changed, b, s.changed, s.want)
		}
	}
}
