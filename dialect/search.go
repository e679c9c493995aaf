package dialect

import "strings"

// FullTextStyle says how a dialect searches text.
type FullTextStyle uint8

const (
	// TSVector is PostgreSQL's to_tsvector(…) @@ to_tsquery(…), with a GIN
	// index on the to_tsvector expression and ts_rank for relevance.
	TSVector FullTextStyle = iota + 1
	// FTS5 is SQLite's FTS5 virtual table kept in step with the table by
	// triggers, searched with MATCH and ranked with bm25.
	FTS5
	// MatchAgainst is MySQL's and MariaDB's FULLTEXT index, searched and
	// ranked with MATCH (…) AGAINST (…).
	MatchAgainst
)

// FullText says how the dialect searches text.
func (d *Dialect) FullText() FullTextStyle {
	switch {
	case d.numbered:
		return TSVector
	case d.IsMySQLFamily():
		return MatchAgainst
	}
	return FTS5
}

// SearchMode is the kind of a full-text query.
type SearchMode uint8

const (
	// AllWords matches text holding every word.
	AllWords SearchMode = iota + 1
	// AnyWord matches text holding at least one of the words.
	AnyWord
	// Phrase matches text holding the words next to each other, in order.
	Phrase
	// Prefix is AllWords with the last word matched as a prefix (for
	// search-as-you-type).
	Prefix
)

// SearchQuery is a full-text query as wren holds it: words (letters and
// digits only, already split), what to do with them, and words whose
// presence excludes a row.
type SearchQuery struct {
	Mode    SearchMode
	Words   []string
	Without []string
}

// FullTextQuery writes q in the dialect's query syntax: a tsquery for
// PostgreSQL, an FTS5 query for SQLite, a MATCH … AGAINST string for MySQL
// and MariaDB. natural reports that MySQL's NATURAL LANGUAGE MODE is meant
// rather than BOOLEAN MODE. The words hold letters and digits only, so no
// quoting of the engines' operators is needed.
func (d *Dialect) FullTextQuery(q SearchQuery) (text string, natural bool) {
	var b strings.Builder
	switch d.FullText() {
	case TSVector:
		sep := " & "
		switch q.Mode {
		case AnyWord:
			sep = " | "
		case Phrase:
			sep = " <-> "
		}
		if len(q.Without) > 0 {
			b.WriteByte('(')
		}
		for i, w := range q.Words {
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteString(w)
			if q.Mode == Prefix && i == len(q.Words)-1 {
				b.WriteString(":*")
			}
		}
		if len(q.Without) > 0 {
			b.WriteByte(')')
		}
		for _, w := range q.Without {
			b.WriteString(" & !")
			b.WriteString(w)
		}
	case FTS5:
		if len(q.Without) > 0 {
			b.WriteByte('(')
		}
		if q.Mode == Phrase {
			b.WriteByte('"')
			b.WriteString(strings.Join(q.Words, " "))
			b.WriteByte('"')
		} else {
			sep := " AND "
			if q.Mode == AnyWord {
				sep = " OR "
			}
			for i, w := range q.Words {
				if i > 0 {
					b.WriteString(sep)
				}
				b.WriteString(`"` + w + `"`)
				if q.Mode == Prefix && i == len(q.Words)-1 {
					b.WriteByte('*')
				}
			}
		}
		if len(q.Without) > 0 {
			b.WriteByte(')')
		}
		for _, w := range q.Without {
			b.WriteString(` NOT "` + w + `"`)
		}
	case MatchAgainst:
		if q.Mode == AnyWord && len(q.Without) == 0 {
			return strings.Join(q.Words, " "), true
		}
		switch q.Mode {
		case Phrase:
			b.WriteString(`+"` + strings.Join(q.Words, " ") + `"`)
		case AnyWord:
			b.WriteString(strings.Join(q.Words, " "))
		default:
			for i, w := range q.Words {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteString("+" + w)
				if q.Mode == Prefix && i == len(q.Words)-1 {
					b.WriteByte('*')
				}
			}
		}
		for _, w := range q.Without {
			b.WriteString(" -" + w)
		}
	}
	return b.String(), false
}

// TextSearchConfig names PostgreSQL's text search configuration for
// stemmed or plain search: "english" or "simple" (no stemming, no stop
// words).
func (d *Dialect) TextSearchConfig(stemmed bool) string {
	if stemmed {
		return "english"
	}
	return "simple"
}

// FTS5Tokenizer names SQLite's FTS5 tokenizer for stemmed or plain search:
// "porter unicode61" (English stemming) or "unicode61".
func (d *Dialect) FTS5Tokenizer(stemmed bool) string {
	if stemmed {
		return "porter unicode61"
	}
	return "unicode61"
}
