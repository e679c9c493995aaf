package tests

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

type FtPostTable struct {
	wren.Table
	ID    wren.Column[int64] `wren:",pk"`
	Title wren.Column[string]
	Body  wren.Column[*string]
}

type FtPost struct {
	ID    int64
	Title string
	Body  *string
}

var (
	FtPosts  = wren.NewTable[FtPostTable]("ft_posts")
	FtSearch = wren.FullText(FtPosts, FtPosts.Title, FtPosts.Body)
)

type FtStemTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Body wren.Column[string]
}

var (
	FtStems      = wren.NewTable[FtStemTable]("ft_stems")
	FtStemSearch = wren.FullText(FtStems, FtStems.Body).Stemmed()
)

func sp(s string) *string { return &s }

// The words avoid InnoDB's default stop words and words shorter than its
// innodb_ft_min_token_size (3), which MariaDB does not index.
var ftRows = []*FtPost{
	{ID: 1, Title: "Gopher databases", Body: sp("postgres tuning guide for gophers")},
	{ID: 2, Title: "Cooking pasta", Body: sp("boil water then add pasta")},
	{ID: 3, Title: "Database indexing", Body: sp("btree and gin indexes explained")},
	{ID: 4, Title: "Pasta databases", Body: nil},
	{ID: 5, Title: "Garden", Body: sp("tomatoes basil pasta")},
	{ID: 6, Title: "pasta", Body: sp("pasta pasta pasta pasta")},
}

func ftIDs(t *testing.T, db *wren.DB, q wren.SearchQuery) []int64 {
	t.Helper()
	ids, err := wren.All[int64](ctxT(t), db, wren.Select(FtPosts.ID).From(FtPosts).Where(FtSearch.Match(q)).OrderBy(FtPosts.ID))
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	if len(ids) == 0 {
		return nil
	}
	return ids
}

func TestFullTextSearch(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		is.NoErr(wren.CreateTables(ctx, db, FtPosts))
		is.NoErr(wren.CreateTablesIfNotExists(ctx, db, FtPosts))
		is.NoErr(wren.Create(ctx, db, FtPosts, ftRows...))

		// The same searches give the same rows on every database.
		is.Equal(ftIDs(t, db, wren.AllWords("pasta databases")), []int64{4})
		is.Equal(ftIDs(t, db, wren.AllWords("PASTA, Databases!")), []int64{4}) // case and punctuation
		is.Equal(ftIDs(t, db, wren.AnyWord("gopher garden")), []int64{1, 5})
		is.Equal(ftIDs(t, db, wren.Phrase("boil water")), []int64{2})
		is.Equal(ftIDs(t, db, wren.Phrase("water boil")), []int64(nil))
		is.Equal(ftIDs(t, db, wren.PrefixWords("data")), []int64{1, 3, 4})
		is.Equal(ftIDs(t, db, wren.PrefixWords("pasta data")), []int64{4})
		is.Equal(ftIDs(t, db, wren.AllWords("pasta").Without("water")), []int64{4, 5, 6})
		is.Equal(ftIDs(t, db, wren.AnyWord("gopher garden").Without("basil")), []int64{1})
		is.Equal(ftIDs(t, db, wren.AllWords("postgres pasta")), []int64(nil))
		// Operators typed by a user are words, not syntax.
		is.Equal(ftIDs(t, db, wren.AllWords(`pasta" OR "gopher`)), []int64(nil))

		// Rank: higher is more relevant on every database; 0 without a match.
		type ranked struct {
			ID   int64
			Rank float64
		}
		q := wren.AnyWord("pasta")
		rank := FtSearch.Rank(q).As("rank")
		rs, err := wren.All[ranked](ctx, db, wren.Select(FtPosts.ID, rank).From(FtPosts).
			Where(FtSearch.Match(q)).OrderBy(rank.Desc(), FtPosts.ID.Asc()))
		is.NoErr(err)
		is.Equal(len(rs), 4)
		is.Equal(rs[0].ID, int64(6)) // pasta five times
		for _, r := range rs {
			is.True(r.Rank > 0)
		}
		all, err := wren.All[ranked](ctx, db, wren.Select(FtPosts.ID, rank).From(FtPosts).Where(FtPosts.ID.Eq(1)))
		is.NoErr(err)
		is.True(all[0].Rank < 1e-6) // no match

		// Highlight and snippet: PostgreSQL and SQLite; MySQL has neither.
		hl := FtSearch.Highlight(FtPosts.Title, wren.AllWords("pasta"), "[", "]")
		sn := FtSearch.Snippet(FtPosts.Body, wren.AllWords("water"), "<", ">", "…", 3)
		type marked struct{ H, S string }
		m, err := wren.One[marked](ctx, db, wren.Select(hl.As("h"), sn.As("s")).From(FtPosts).Where(FtPosts.ID.Eq(2)))
		if db.Dialect().FullText() == dialect.MatchAgainst {
			is.True(errors.Is(err, wren.ErrUnsupported))
		} else {
			is.NoErr(err)
			is.Equal(m.H, "Cooking [pasta]")
			is.True(strings.Contains(m.S, "<water>"))
			is.True(len(strings.Fields(m.S)) <= 4)
			// A row that does not match: its text, unmarked.
			h, err := wren.One[string](ctx, db, wren.Select(hl).From(FtPosts).Where(FtPosts.ID.Eq(3)))
			is.NoErr(err)
			is.Equal(h, "Database indexing")
		}

		// The index follows updates and deletes (SQLite: its triggers).
		_, err = wren.Exec(ctx, db, wren.Update(FtPosts).Set(wren.Set(FtPosts.Body, sp("noodles only"))).Where(FtPosts.ID.Eq(5)))
		is.NoErr(err)
		is.Equal(ftIDs(t, db, wren.AllWords("tomatoes")), []int64(nil))
		is.Equal(ftIDs(t, db, wren.AllWords("noodles")), []int64{5})
		_, err = wren.DeleteByID(ctx, db, FtPosts.ID, 1)
		is.NoErr(err)
		is.Equal(ftIDs(t, db, wren.AnyWord("gopher gophers")), []int64(nil))

		// A query without words is an error, not an empty or full result.
		_, err = wren.All[int64](ctx, db, wren.Select(FtPosts.ID).From(FtPosts).Where(FtSearch.Match(wren.AllWords(" ,; "))))
		is.True(err != nil && strings.Contains(err.Error(), "no words"))

		is.NoErr(wren.DropTables(ctx, db, FtPosts))
		is.NoErr(wren.CreateTables(ctx, db, FtPosts)) // nothing left behind
	})
}

func TestFullTextStemmed(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		err := wren.CreateTables(ctx, db, FtStems)
		if db.Dialect().FullText() == dialect.MatchAgainst {
			is.True(errors.Is(err, wren.ErrUnsupported)) // FULLTEXT does not stem
			return
		}
		is.NoErr(err)
		is.NoErr(wren.Create(ctx, db, FtStems, &struct {
			ID   int64
			Body string
		}{Body: "she runs every morning"}))
		ids, err := wren.All[int64](ctx, db, wren.Select(FtStems.ID).From(FtStems).Where(FtStemSearch.Match(wren.AllWords("running"))))
		is.NoErr(err)
		is.Equal(ids, []int64{1})
	})
}

// TestFullTextUsesGIN checks that PostgreSQL plans the search on the GIN
// index: the query writes the index's expression exactly.
func TestFullTextUsesGIN(t *testing.T) {
	t.Parallel()
	db := openTestDB(t, "postgres")
	is := is.New(t)
	ctx := ctxT(t)
	is.NoErr(wren.CreateTables(ctx, db, FtPosts))
	text, args, err := wren.Select(FtPosts.ID).From(FtPosts).Where(FtSearch.Match(wren.AllWords("pasta"))).SQL(db.Dialect())
	is.NoErr(err)
	c, err := db.Pool().Acquire(ctx)
	is.NoErr(err)
	defer c.Release()
	tx, err := c.Begin(ctx)
	is.NoErr(err)
	defer tx.Rollback(ctx)
	_, err = tx.Exec(ctx, "SET LOCAL enable_seqscan = off")
	is.NoErr(err)
	rows, err := tx.Query(ctx, "EXPLAIN "+text, args...)
	is.NoErr(err)
	var plan []string
	for rows.Next() {
		var line string
		is.NoErr(rows.Scan(&line))
		plan = append(plan, line)
	}
	is.NoErr(rows.Err())
	is.True(slices.ContainsFunc(plan, func(l string) bool { return strings.Contains(l, "idx_ft_posts_fts") })) // plan names the GIN index
}
