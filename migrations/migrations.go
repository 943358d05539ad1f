// Package migrations embeds the numbered SQL migrations. Once a migration has
// landed on main it is never edited; a change is a new file.
package migrations

import "embed"

// FS holds the migration files, applied in order by goose.
//
//go:embed *.sql
var FS embed.FS
