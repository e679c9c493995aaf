package wren_test

import (
	"fmt"
	"strings"

	"github.com/wrensql/wren/dialect"
)

// Token kinds of lexSQL.
const (
	tokWord  = 'w' // keyword or bare name
	tokNum   = 'n'
	tokIdent = 'i' // quoted identifier; text is the name as the server reads it
	tokStr   = 's' // string literal, raw
	tokParam = 'p' // bound-parameter placeholder
	tokPunct = '.'
)

type sqlTok struct {
	kind byte
	text string
}

// lexSQL splits a statement into tokens the way d's server reads it. It is
// written from the servers' lexical rules, not from wren's quoting code:
// quoted identifiers ("…" with "" inside on PostgreSQL and SQLite, `…` with
// “ inside on MySQL/MariaDB, and SQLite's `…` and […]), string literals
// (MySQL's with backslash escapes, and its "…" strings), placeholders ($n on
// PostgreSQL; ?, ?NNN, :name, @name, $name on SQLite; ? on MySQL). A comment,
// a dollar-quoted string or an unclosed quote is an error: wren never writes
// one, so finding one means some text escaped its quotes.
func lexSQL(d *dialect.Dialect, s string) ([]sqlTok, error) {
	mysql := d.IsMySQLFamily()
	sqlite := d.Name() == "sqlite"
	pg := d.Name() == "postgres"
	identQuote := byte('"')
	if mysql {
		identQuote = '`'
	}
	var out []sqlTok
	i := 0
	// quoted reads a quoted run from s[i] (the opening quote) to its close;
	// a doubled close is one close character inside; backslash escapes one
	// byte when bs. It returns the content as read and the index after it.
	quoted := func(open, close byte, bs bool) (string, int, error) {
		var b strings.Builder
		j := i + 1
		for {
			if j >= len(s) {
				return "", 0, fmt.Errorf("unclosed %c…%c at byte %d of %q", open, close, i, s)
			}
			c := s[j]
			switch {
			case bs && c == '\\' && j+1 < len(s):
				b.WriteByte(s[j+1])
				j += 2
				continue
			case c == close && j+1 < len(s) && s[j+1] == close && open != '[':
				b.WriteByte(c)
				j += 2
				continue
			case c == close:
				return b.String(), j + 1, nil
			}
			b.WriteByte(c)
			j++
		}
	}
	isWord := func(c byte, first bool) bool {
		return c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(!first && ((c >= '0' && c <= '9') || (c == '$' && !sqlite)))
	}
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-' &&
			(!mysql || i+2 == len(s) || s[i+2] <= ' '):
			return nil, fmt.Errorf("-- comment at byte %d of %q", i, s)
		case c == '#' && mysql, c == '/' && i+1 < len(s) && s[i+1] == '*':
			return nil, fmt.Errorf("comment at byte %d of %q", i, s)
		case c == identQuote || (sqlite && (c == '`' || c == '[')):
			close := c
			if c == '[' {
				close = ']'
			}
			name, j, err := quoted(c, close, false)
			if err != nil {
				return nil, err
			}
			out = append(out, sqlTok{tokIdent, name})
			i = j
		case c == '\'' || (mysql && c == '"'):
			_, j, err := quoted(c, c, mysql)
			if err != nil {
				return nil, err
			}
			out = append(out, sqlTok{tokStr, s[i:j]})
			i = j
		case pg && c == '$':
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j == i+1 {
				return nil, fmt.Errorf("$ not followed by a parameter number (a dollar quote?) at byte %d of %q", i, s)
			}
			out = append(out, sqlTok{tokParam, s[i:j]})
			i = j
		case c == '?' && !pg:
			j := i + 1
			for sqlite && j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			out = append(out, sqlTok{tokParam, s[i:j]})
			i = j
		case sqlite && (c == ':' || c == '@' || c == '$') && i+1 < len(s) && isWord(s[i+1], true):
			j := i + 1
			for j < len(s) && isWord(s[j], false) {
				j++
			}
			out = append(out, sqlTok{tokParam, s[i:j]})
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			out = append(out, sqlTok{tokNum, s[i:j]})
			i = j
		case isWord(c, true):
			if pg && (c == 'E' || c == 'e' || c == 'U' || c == 'u' || c == 'B' || c == 'b' || c == 'X' || c == 'x') &&
				i+1 < len(s) && (s[i+1] == '\'' || s[i+1] == '&') {
				return nil, fmt.Errorf("prefixed string at byte %d of %q", i, s)
			}
			j := i + 1
			for j < len(s) && isWord(s[j], false) {
				j++
			}
			out = append(out, sqlTok{tokWord, s[i:j]})
			i = j
		default:
			out = append(out, sqlTok{tokPunct, s[i : i+1]})
			i++
		}
	}
	return out, nil
}

// sameShape reports how got differs from want token by token, where a
// quoted identifier of want named k must read as subst[k] in got (or k when
// subst has no entry).
func sameShape(got, want []sqlTok, subst map[string]string) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d tokens, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.kind != w.kind {
			return fmt.Errorf("token %d is %c %q, want %c %q", i, g.kind, g.text, w.kind, w.text)
		}
		exp := w.text
		if w.kind == tokIdent {
			if s, ok := subst[w.text]; ok {
				exp = s
			}
		}
		if g.text != exp {
			return fmt.Errorf("token %d is %q, want %q", i, g.text, exp)
		}
	}
	return nil
}
