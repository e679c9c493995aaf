package dialect

import "strings"

// splitQuoteCharsets are the MySQL connection character sets in which the
// second byte of a two-byte character can be 0x60, the backtick: the bytes a
// UTF-8 identifier is written as could then be read as a character that
// swallows the quote after it. (No charset has a trail byte of 0x22, the
// double quote PostgreSQL and SQLite quote with.)
var splitQuoteCharsets = map[string]bool{"big5": true, "cp932": true, "gbk": true, "gb18030": true, "sjis": true}

// ClientCharsetSafe reports whether a connection whose client character set
// is cs (as the server names it, e.g. MySQL's @@character_set_client) reads
// identifiers quoted by [Dialect.AppendIdent] with the shape they were
// written with. wren writes identifiers as UTF-8; utf8mb4 and utf8 are the
// supported connection charsets.
func (d *Dialect) ClientCharsetSafe(cs string) bool {
	if d.quote != '`' {
		return true
	}
	return !splitQuoteCharsets[strings.ToLower(cs)]
}

// MaxIdentBytes is the length in bytes beyond which the server silently
// shortens an identifier, or 0 where it does not; columnAlias says the name
// is a column alias (SELECT … AS name). PostgreSQL keeps the first 63 bytes
// of every name (NAMEDATALEN-1), so two long names that share them name one
// table, and a long alias comes back shortened. MariaDB shortens a column
// alias to 255 bytes (MySQL documents 256 characters) and refuses other names
// that are too long; SQLite keeps names whole.
func (d *Dialect) MaxIdentBytes(columnAlias bool) int {
	switch {
	case d == Postgres:
		return 63
	case d.IsMySQLFamily() && columnAlias:
		return 255
	}
	return 0
}
