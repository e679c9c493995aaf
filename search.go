package wren

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/wrensql/wren/dialect"
)

// FullTextIndex declares full-text search over string columns of one
// table: one typed API over PostgreSQL's tsvector/tsquery, SQLite's FTS5
// and MySQL/MariaDB's FULLTEXT indexes. [CreateTables] creates what each
// database needs:
//
//	PostgreSQL   a GIN index on to_tsvector(config, col1 || ' ' || col2 …)
//	SQLite       an FTS5 virtual table "<table>_fts" with the table as its
//	             external content, and three triggers that keep it in step
//	MySQL        a FULLTEXT index on the columns
//
// Declare it once, beside the table:
//
//	var Posts = wren.NewTable[PostTable]("posts")
//	var PostSearch = wren.FullText(Posts, Posts.Title, Posts.Body)
//
//	q := wren.Select(Posts.ID, PostSearch.Rank(wren.AllWords("go sql")).As("rank")).
//		From(Posts).
//		Where(PostSearch.Match(wren.AllWords("go sql"))).
//		OrderBy(wren.Desc("rank"))
//
// See docs/search.md for where the three engines differ.
type FullTextIndex struct {
	t       *tableInfo
	cols    []*colInfo
	stemmed bool
}

// FullText declares full-text search over cols, string columns of t
// (string, *string or sql.Null[string]), and attaches it to t so that
// CreateTables and DropTables handle it. Like NewTable it is for
// package-level declarations: a nil table, no columns, a column of another
// table or of another type, or a second FullText on one table panics.
//
// On SQLite the table needs a single integer primary key, which FTS5 uses
// as its rowid.
func FullText(t TableLike, cols ...ColumnRef) *FullTextIndex {
	ti := infoOf(t)
	if ti == nil || ti.err != nil || ti.alias != "" || ti.src != nil {
		panic("wren.FullText: want a table descriptor made by wren.NewTable (not nil, an alias or a subquery)")
	}
	if len(cols) == 0 {
		panic(fmt.Sprintf("wren.FullText(%s): no columns to search", ti.name))
	}
	if ti.search != nil {
		panic(fmt.Sprintf("wren.FullText(%s): the table already has a full-text index", ti.name))
	}
	s := &FullTextIndex{t: ti}
	for _, c := range cols {
		ci := colOf(c)
		switch {
		case ci == nil:
			panic(fmt.Sprintf("wren.FullText(%s): a nil or zero column", ti.name))
		case ci.table != ti:
			panic(fmt.Sprintf("wren.FullText(%s): column %s is a column of %s", ti.name, ci.name, ci.table.ref()))
		case !isStringColumn(ci.typ):
			panic(fmt.Sprintf("wren.FullText(%s): column %s holds %s; full-text search needs string columns", ti.name, ci.name, ci.typ))
		}
		s.cols = append(s.cols, ci)
	}
	ti.search = s
	return s
}

func isStringColumn(t reflect.Type) bool {
	typ, _, err := goColumnType(t)
	return err == nil && typ == dialect.String
}

// Stemmed makes the index match words by their English stem ("running"
// finds "runs"): PostgreSQL's "english" configuration (which also drops
// English stop words) and SQLite's porter tokenizer. MySQL and MariaDB do
// not stem: creating a stemmed index there fails with ErrUnsupported. It
// changes s and returns it, for use in the declaration.
func (s *FullTextIndex) Stemmed() *FullTextIndex { s.stemmed = true; return s }

// ftsName is the name of SQLite's FTS5 table, and the stem of the index and
// trigger names.
func (s *FullTextIndex) ftsName() string { return s.t.name + "_fts" }

// SearchQuery is a full-text query: words and what to do with them, made
// by [AllWords], [AnyWord], [Phrase] or [PrefixWords]. The text is split
// into words of letters and digits (everything else separates words, so no
// engine's query operators can be written through it), lower-cased, and
// bound as a parameter in the engine's own query syntax.
type SearchQuery struct{ q dialect.SearchQuery }

func searchWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// AllWords matches text that holds every word of text.
func AllWords(text string) SearchQuery {
	return SearchQuery{dialect.SearchQuery{Mode: dialect.AllWords, Words: searchWords(text)}}
}

// AnyWord matches text that holds at least one word of text (MySQL's
// NATURAL LANGUAGE MODE).
func AnyWord(text string) SearchQuery {
	return SearchQuery{dialect.SearchQuery{Mode: dialect.AnyWord, Words: searchWords(text)}}
}

// Phrase matches text that holds the words of text next to each other, in
// order.
func Phrase(text string) SearchQuery {
	return SearchQuery{dialect.SearchQuery{Mode: dialect.Phrase, Words: searchWords(text)}}
}

// PrefixWords matches text that holds every word of text, the last one as
// a prefix ("go dat" finds "go database"): search as the user types.
func PrefixWords(text string) SearchQuery {
	return SearchQuery{dialect.SearchQuery{Mode: dialect.Prefix, Words: searchWords(text)}}
}

// Without leaves out text holding any word of words.
func (q SearchQuery) Without(words string) SearchQuery {
	q.q.Without = append(clip(q.q.Without), searchWords(words)...)
	return q
}

// Match is the predicate "the indexed columns match q":
//
//	PostgreSQL  to_tsvector(…) @@ to_tsquery(config, $1)
//	SQLite      key IN (SELECT rowid FROM t_fts WHERE t_fts MATCH ?)
//	MySQL       MATCH (cols) AGAINST (? IN BOOLEAN MODE), or NATURAL
//	            LANGUAGE MODE for AnyWord
//
// A query with no words fails the rendering: there is nothing to search for.
func (s *FullTextIndex) Match(q SearchQuery) Predicate {
	return Predicate{op: pExpr, l: ftExpr{s: s, q: q, kind: ftMatch}}
}

// Rank is the relevance of a row to q, higher for more relevant rows on
// every database, 0 for a row that does not match: ts_rank on PostgreSQL,
// bm25 negated on SQLite (whose bm25 is lower for better matches), MATCH …
// AGAINST's relevance on MySQL. The scales differ: compare ranks within one
// query, not across databases.
func (s *FullTextIndex) Rank(q SearchQuery) Expr[float64] {
	return newExpr[float64](ftExpr{s: s, q: q, kind: ftRank})
}

// Highlight is col's text with the words matching q between open and
// close: ts_headline with HighlightAll on PostgreSQL, highlight() on
// SQLite; a row that does not match gives its text unmarked, and NULL
// text gives "". MySQL has no such function, and rendering fails with
// ErrUnsupported.
func (s *FullTextIndex) Highlight(col ColumnRef, q SearchQuery, open, close string) Expr[string] {
	return newExpr[string](ftExpr{s: s, q: q, kind: ftHighlight, col: colOf(col), open: open, close: close})
}

// Snippet is a fragment of col's text of about words words around the
// matches of q, the matches between open and close: snippet() on SQLite,
// which marks cut text with ellipsis, and ts_headline on PostgreSQL, which
// does not. words is 1 to 64. MySQL has no such function (ErrUnsupported).
// A row that does not match gives "" on SQLite.
func (s *FullTextIndex) Snippet(col ColumnRef, q SearchQuery, open, close, ellipsis string, words int) Expr[string] {
	return newExpr[string](ftExpr{s: s, q: q, kind: ftSnippet, col: colOf(col), open: open, close: close, ellipsis: ellipsis, words: words})
}

type ftKind uint8

const (
	ftMatch ftKind = iota
	ftRank
	ftHighlight
	ftSnippet
)

// ftExpr is Match, Rank, Highlight or Snippet of a FullTextIndex.
type ftExpr struct {
	s                     *FullTextIndex
	q                     SearchQuery
	kind                  ftKind
	col                   *colInfo
	open, close, ellipsis string
	words                 int
}

func (e ftExpr) appendSQL(r *renderer) {
	s := e.s
	if s == nil {
		r.fail("wren: full-text search on a nil FullTextIndex")
		return
	}
	if len(e.q.q.Words) == 0 {
		r.fail("wren: full-text search on %s: the query has no words to search for", s.t.ref())
		return
	}
	if e.kind >= ftHighlight {
		if e.col == nil || !containsCol(s.cols, e.col) {
			r.fail("wren: full-text %s on %s: the column is not one of the index's columns", e.kindName(), s.t.ref())
			return
		}
		if e.kind == ftSnippet && (e.words < 1 || e.words > 64) {
			r.fail("wren: full-text snippet on %s.%s: %d words, want 1 to 64", s.t.ref(), e.col.name, e.words)
			return
		}
	}
	text, natural := r.d.FullTextQuery(e.q.q)
	switch r.d.FullText() {
	case dialect.TSVector:
		e.appendTSVector(r, text)
	case dialect.FTS5:
		e.appendFTS5(r, text)
	default:
		e.appendMatchAgainst(r, text, natural)
	}
}

func (e ftExpr) kindName() string {
	return [...]string{ftMatch: "match", ftRank: "rank", ftHighlight: "highlight", ftSnippet: "snippet"}[e.kind]
}

// appendTSVector writes PostgreSQL's forms.
func (e ftExpr) appendTSVector(r *renderer, text string) {
	s := e.s
	tsquery := func() {
		r.buf = append(r.buf, "to_tsquery("...)
		s.appendConfig(r)
		r.arg(text)
		r.buf = append(r.buf, ')')
	}
	switch e.kind {
	case ftMatch:
		s.appendVector(r)
		r.buf = append(r.buf, " @@ "...)
		tsquery()
	case ftRank:
		r.buf = append(r.buf, "ts_rank("...)
		s.appendVector(r)
		r.buf = append(r.buf, ", "...)
		tsquery()
		r.buf = append(r.buf, ")::float8"...)
	default:
		for _, m := range []string{e.open, e.close, e.ellipsis} {
			if strings.ContainsAny(m, "\"\x00") {
				r.fail("wren: full-text %s on %s: PostgreSQL's ts_headline takes no double quote in its markers (%q)", e.kindName(), s.t.ref(), m)
				return
			}
		}
		opts := fmt.Sprintf(`StartSel="%s", StopSel="%s", `, e.open, e.close)
		if e.kind == ftHighlight {
			opts += "HighlightAll=true"
		} else {
			opts += "MaxWords=" + strconv.Itoa(e.words) + ", MinWords=" + strconv.Itoa(max(1, e.words/2)) + ", MaxFragments=1"
		}
		r.buf = append(r.buf, "coalesce(ts_headline("...)
		s.appendConfig(r)
		e.col.appendSQL(r)
		r.buf = append(r.buf, ", "...)
		tsquery()
		r.buf = append(r.buf, ", "...)
		r.arg(opts)
		r.buf = append(r.buf, "), '')"...)
	}
}

// appendConfig writes "'config'::regconfig, ".
func (s *FullTextIndex) appendConfig(r *renderer) {
	r.buf = append(r.buf, '\'')
	r.buf = append(r.buf, r.d.TextSearchConfig(s.stemmed)...)
	r.buf = append(r.buf, "'::regconfig, "...)
}

// appendVector writes to_tsvector(config, coalesce(c1, ”) || ' ' || …),
// the expression the GIN index is built on: queries must write it the same
// way for PostgreSQL to use the index.
func (s *FullTextIndex) appendVector(r *renderer) {
	r.buf = append(r.buf, "to_tsvector("...)
	s.appendConfig(r)
	for i, c := range s.cols {
		if i > 0 {
			r.buf = append(r.buf, " || ' ' || "...)
		}
		r.buf = append(r.buf, "coalesce("...)
		c.appendSQL(r)
		r.buf = append(r.buf, ", '')"...)
	}
	r.buf = append(r.buf, ')')
}

// sqliteKey is the integer primary key FTS5 follows as its rowid.
func (s *FullTextIndex) sqliteKey(r *renderer) *colInfo {
	keys := keyColumns(s.t)
	if len(keys) != 1 || !isIntegerType(keys[0].typ) {
		r.fail("wren: full-text search on %s: SQLite's FTS5 needs a single integer primary key to follow as its rowid (the table's key is %v)", s.t.ref(), keyNames(keys))
		return nil
	}
	return keys[0]
}

// appendFTS5 writes SQLite's forms: the FTS5 table is read in a subquery
// tied to the outer row by its key, so that Rank, Highlight and Snippet
// work in any query on the table, with or without Match.
func (e ftExpr) appendFTS5(r *renderer, text string) {
	s := e.s
	key := s.sqliteKey(r)
	if key == nil {
		return
	}
	fts := s.ftsName()
	matchWhere := func() {
		r.buf = append(r.buf, " FROM "...)
		r.ident(roleTable, fts)
		r.buf = append(r.buf, " WHERE "...)
		r.ident(roleTable, fts)
		r.buf = append(r.buf, " MATCH "...)
		r.arg(text)
	}
	correlated := func() {
		matchWhere()
		r.buf = append(r.buf, " AND "...)
		r.ident(roleTable, fts)
		r.buf = append(r.buf, ".rowid = "...)
		r.tableRef(s.t)
		r.buf = append(r.buf, '.')
		key.appendName(r)
		r.buf = append(r.buf, ')')
	}
	switch e.kind {
	case ftMatch:
		key.appendSQL(r)
		r.buf = append(r.buf, " IN (SELECT rowid"...)
		matchWhere()
		r.buf = append(r.buf, ')')
	case ftRank:
		r.buf = append(r.buf, "coalesce((SELECT -bm25("...)
		r.ident(roleTable, fts)
		r.buf = append(r.buf, ')')
		correlated()
		r.buf = append(r.buf, ", 0)"...)
	default:
		fn := "highlight"
		if e.kind == ftSnippet {
			fn = "snippet"
		}
		r.buf = append(r.buf, "coalesce((SELECT "...)
		r.buf = append(r.buf, fn...)
		r.buf = append(r.buf, '(')
		r.ident(roleTable, fts)
		r.buf = append(r.buf, ", "...)
		r.buf = strconv.AppendInt(r.buf, int64(slices.Index(s.cols, e.col)), 10)
		r.buf = append(r.buf, ", "...)
		r.arg(e.open)
		r.buf = append(r.buf, ", "...)
		r.arg(e.close)
		if e.kind == ftSnippet {
			r.buf = append(r.buf, ", "...)
			r.arg(e.ellipsis)
			r.buf = append(r.buf, ", "...)
			r.buf = strconv.AppendInt(r.buf, int64(e.words), 10)
		}
		r.buf = append(r.buf, ')')
		correlated()
		if e.kind == ftHighlight {
			// A row that does not match: its text unmarked, as on PostgreSQL.
			r.buf = append(r.buf, ", "...)
			e.col.appendSQL(r)
		}
		r.buf = append(r.buf, ", '')"...)
	}
}

// appendMatchAgainst writes MySQL's and MariaDB's forms.
func (e ftExpr) appendMatchAgainst(r *renderer, text string, natural bool) {
	if e.kind >= ftHighlight {
		r.unsupported("full-text " + e.kindName() + " (MySQL and MariaDB have no highlight or snippet function)")
		return
	}
	r.buf = append(r.buf, "MATCH ("...)
	appendList(r, e.s.cols, func(r *renderer, c *colInfo) { c.appendSQL(r) })
	r.buf = append(r.buf, ") AGAINST ("...)
	r.arg(text)
	if natural {
		r.buf = append(r.buf, " IN NATURAL LANGUAGE MODE)"...)
	} else {
		r.buf = append(r.buf, " IN BOOLEAN MODE)"...)
	}
}

// FullTextStmt is one statement that creates (or, on SQLite, drops) what a
// [FullTextIndex] needs; [FullTextIndex.CreateStatements] lists them for a
// dialect. CreateTables and DropTables run them.
type FullTextStmt struct {
	s           *FullTextIndex
	step        int // 0 the index or FTS5 table, 1–3 SQLite's triggers, -1 SQLite's DROP
	ifNotExists bool
}

// CreateStatements returns the statements that create s on d: one CREATE
// INDEX on PostgreSQL and MySQL; on SQLite the FTS5 table and its three
// triggers (after insert, delete and update).
func (s *FullTextIndex) CreateStatements(d *dialect.Dialect) []FullTextStmt {
	out := []FullTextStmt{{s: s}}
	if d.FullText() == dialect.FTS5 {
		out = append(out, FullTextStmt{s: s, step: 1}, FullTextStmt{s: s, step: 2}, FullTextStmt{s: s, step: 3})
	}
	return out
}

// DropStatements returns what must be dropped besides the table: SQLite's
// FTS5 table (its triggers go with the table). Elsewhere the index goes
// with the table, and the list is empty.
func (s *FullTextIndex) DropStatements(d *dialect.Dialect) []FullTextStmt {
	if d.FullText() == dialect.FTS5 {
		return []FullTextStmt{{s: s, step: -1}}
	}
	return nil
}

// IfNotExists makes the statement leave an existing index, table or
// trigger alone (not on MySQL 8, which fails with ErrUnsupported).
func (st FullTextStmt) IfNotExists() FullTextStmt { st.ifNotExists = true; return st }

// SQL renders the statement for d.
func (st FullTextStmt) SQL(d *dialect.Dialect) (string, []any, error) { return renderSQL(d, st) }

func (st FullTextStmt) appendStatement(r *renderer) {
	s := st.s
	if s == nil {
		r.fail("wren: full-text DDL for a nil FullTextIndex")
		return
	}
	t := s.t
	style := r.d.FullText()
	if st.step != 0 && style != dialect.FTS5 {
		r.fail("wren: full-text index on %s: step %d is SQLite's only (use CreateStatements)", t.ref(), st.step)
		return
	}
	r.push(t)
	defer r.pop(len(r.scope) - 1)
	r.bare = true
	ifNot := func() {
		if st.ifNotExists {
			r.buf = append(r.buf, "IF NOT EXISTS "...)
		}
	}
	switch {
	case style == dialect.TSVector:
		r.buf = append(r.buf, "CREATE INDEX "...)
		ifNot()
		r.ident(roleIndex, "idx_"+s.ftsName())
		r.buf = append(r.buf, " ON "...)
		r.ident(roleTable, t.name)
		r.buf = append(r.buf, " USING GIN ("...)
		s.appendVector(r)
		r.buf = append(r.buf, ')')
	case style == dialect.MatchAgainst:
		if s.stemmed {
			r.unsupported("a stemmed full-text index on " + t.ref() + " (FULLTEXT indexes do not stem)")
			return
		}
		if st.ifNotExists && !r.d.IndexIfNotExists() {
			r.unsupported("CREATE FULLTEXT INDEX IF NOT EXISTS")
			return
		}
		r.buf = append(r.buf, "CREATE FULLTEXT INDEX "...)
		ifNot()
		r.ident(roleIndex, "idx_"+s.ftsName())
		r.buf = append(r.buf, " ON "...)
		r.ident(roleTable, t.name)
		r.buf = append(r.buf, " ("...)
		appendList(r, s.cols, func(r *renderer, c *colInfo) { c.appendName(r) })
		r.buf = append(r.buf, ')')
	case st.step == -1:
		r.buf = append(r.buf, "DROP TABLE IF EXISTS "...)
		r.ident(roleTable, s.ftsName())
	case st.step == 0:
		key := s.sqliteKey(r)
		if key == nil {
			return
		}
		r.buf = append(r.buf, "CREATE VIRTUAL TABLE "...)
		ifNot()
		r.ident(roleTable, s.ftsName())
		r.buf = append(r.buf, " USING fts5("...)
		appendList(r, s.cols, func(r *renderer, c *colInfo) { c.appendName(r) })
		r.buf = append(r.buf, ", content="...)
		r.buf = appendStringLit(r.buf, t.name)
		r.buf = append(r.buf, ", content_rowid="...)
		r.buf = appendStringLit(r.buf, key.name)
		r.buf = append(r.buf, ", tokenize="...)
		r.buf = appendStringLit(r.buf, r.d.FTS5Tokenizer(s.stemmed))
		r.buf = append(r.buf, ')')
	default:
		key := s.sqliteKey(r)
		if key == nil {
			return
		}
		event, suffix := [...]string{1: "INSERT", 2: "DELETE", 3: "UPDATE"}[st.step], [...]string{1: "_ai", 2: "_ad", 3: "_au"}[st.step]
		r.buf = append(r.buf, "CREATE TRIGGER "...)
		ifNot()
		r.ident(roleTable, s.ftsName()+suffix)
		r.buf = append(r.buf, " AFTER "+event+" ON "...)
		r.ident(roleTable, t.name)
		r.buf = append(r.buf, " BEGIN "...)
		if st.step != 1 {
			s.appendFTSWrite(r, key, "old", true)
		}
		if st.step != 2 {
			s.appendFTSWrite(r, key, "new", false)
		}
		r.buf = append(r.buf, "END"...)
	}
}

// appendFTSWrite writes one INSERT into the FTS5 table of a trigger: the
// row's new values, or (del) the 'delete' command with its old values.
func (s *FullTextIndex) appendFTSWrite(r *renderer, key *colInfo, row string, del bool) {
	fts := s.ftsName()
	r.buf = append(r.buf, "INSERT INTO "...)
	r.ident(roleTable, fts)
	r.buf = append(r.buf, " ("...)
	if del {
		r.ident(roleTable, fts)
		r.buf = append(r.buf, ", "...)
	}
	r.buf = append(r.buf, "rowid"...)
	for _, c := range s.cols {
		r.buf = append(r.buf, ", "...)
		c.appendName(r)
	}
	r.buf = append(r.buf, ") VALUES ("...)
	if del {
		r.buf = append(r.buf, "'delete', "...)
	}
	for i, c := range append([]*colInfo{key}, s.cols...) {
		if i > 0 {
			r.buf = append(r.buf, ", "...)
		}
		r.buf = append(r.buf, row...)
		r.buf = append(r.buf, '.')
		c.appendName(r)
	}
	r.buf = append(r.buf, "); "...)
}

// appendStringLit appends s as an SQL string literal (for names that FTS5
// takes as strings).
func appendStringLit(b []byte, s string) []byte {
	b = append(b, '\'')
	b = append(b, strings.ReplaceAll(s, "'", "''")...)
	return append(b, '\'')
}
