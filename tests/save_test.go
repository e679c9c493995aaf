package tests

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// SvItemTable has an auto-increment key; SvPairTable a composite one.
type SvItemTable struct {
	wren.Table
	ID    wren.Column[int64] `wren:",pk"`
	Name  wren.Column[string]
	Qty   wren.Column[int64]
	Note  wren.Column[*string]
	Price wren.Column[float64]
}

type SvItem struct {
	ID    int64
	Name  string
	Qty   int64
	Note  *string
	Price float64
}

type SvPairTable struct {
	wren.Table `wren:"pk=a+b"`
	A          wren.Column[int64]
	B          wren.Column[string] `wren:",size=40"`
	Note       wren.Column[string]
}

type SvPair struct {
	A    int64
	B    string
	Note string
}

var (
	SvItems = wren.NewTable[SvItemTable]("sv_items")
	SvPairs = wren.NewTable[SvPairTable]("sv_pairs")
)

func TestSaveGetDeleteByID(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		is.NoErr(wren.CreateTables(ctx, db, SvItems, SvPairs))

		// Key zero: INSERT, and the key is filled in.
		it := &SvItem{Name: "bolt", Qty: 3, Price: 0.25}
		is.NoErr(wren.Save(ctx, db, SvItems, it))
		is.True(it.ID > 0)

		// Key set: UPDATE of every non-key column.
		it.Qty, it.Name = 5, "big bolt"
		is.NoErr(wren.Save(ctx, db, SvItems, it))
		got, err := wren.GetByID[SvItem](ctx, db, SvItems.ID, it.ID)
		is.NoErr(err)
		is.Equal(got, *it)

		// Saving the same values again is no error (MySQL reports 0 rows changed).
		is.NoErr(wren.Save(ctx, db, SvItems, it))

		// Only named columns.
		note := "zinc"
		it.Qty, it.Note = 99, &note
		is.NoErr(wren.Save(ctx, db, SvItems, it, SvItems.Note))
		got, err = wren.GetByID[SvItem](ctx, db, SvItems.ID, it.ID)
		is.NoErr(err)
		is.Equal(got.Qty, int64(5)) // not written
		is.Equal(*got.Note, "zinc")

		// Only changed columns.
		before := got
		after := got
		after.Price = 1.5
		n, err := wren.UpdateChanged(ctx, db, SvItems, &before, &after)
		is.NoErr(err)
		is.Equal(n, int64(1))
		n, err = wren.UpdateChanged(ctx, db, SvItems, &after, &after)
		is.NoErr(err)
		is.Equal(n, int64(0)) // nothing changed, nothing run
		moved := after
		moved.ID++
		_, err = wren.UpdateChanged(ctx, db, SvItems, &after, &moved)
		is.True(err != nil && strings.Contains(err.Error(), "key column id differs"))

		// A set auto key that no row has is not invented.
		ghost := &SvItem{ID: 12345, Name: "ghost"}
		err = wren.Save(ctx, db, SvItems, ghost)
		is.True(errors.Is(err, wren.ErrNoRows))

		// GetByID: only a struct's columns are selected; missing rows wrap ErrNoRows.
		type nameOnly struct{ Name string }
		no, err := wren.GetByID[nameOnly](ctx, db, SvItems.ID, it.ID)
		is.NoErr(err)
		is.Equal(no.Name, "big bolt")
		_, err = wren.GetByID[SvItem](ctx, db, SvItems.ID, 777)
		is.True(errors.Is(err, wren.ErrNoRows))
		_, err = wren.GetByID[SvItem](ctx, db, SvItems.Name, "bolt")
		is.True(err != nil && strings.Contains(err.Error(), "not the primary key"))

		// Composite key: absent → INSERT, present → UPDATE.
		p := &SvPair{A: 1, B: "x", Note: "first"}
		is.NoErr(wren.Save(ctx, db, SvPairs, p))
		p.Note = "second"
		is.NoErr(wren.Save(ctx, db, SvPairs, p))
		is.NoErr(wren.Save(ctx, db, SvPairs, &SvPair{A: 1, B: "y", Note: "other"}))
		pairs, err := wren.All[SvPair](ctx, db, wren.Select(SvPairs).From(SvPairs).OrderBy(SvPairs.B))
		is.NoErr(err)
		is.Equal(pairs, []SvPair{{1, "x", "second"}, {1, "y", "other"}})
		res, err := wren.Exec(ctx, db, wren.DeleteRow(SvPairs, p))
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(1))

		// DeleteByID.
		n, err = wren.DeleteByID(ctx, db, SvItems.ID, it.ID)
		is.NoErr(err)
		is.Equal(n, int64(1))
		n, err = wren.DeleteByID(ctx, db, SvItems.ID, it.ID)
		is.NoErr(err)
		is.Equal(n, int64(0))
		_, err = wren.DeleteByID(ctx, db, SvPairs.A, 1)
		is.True(err != nil && strings.Contains(err.Error(), "not the primary key"))
	})
}

func TestInBatchesCommitsPerBatch(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		is.NoErr(wren.CreateTables(ctx, db, SvItems))
		rows := make([]*SvItem, 10)
		for i := range rows {
			rows[i] = &SvItem{Name: fmt.Sprintf("r%d", i), Qty: int64(i)}
		}
		n, err := wren.CreateInBatches(ctx, db, SvItems, 4, rows...)
		is.NoErr(err)
		is.Equal(n, 10)
		for _, r := range rows {
			is.True(r.ID > 0)
		}
		// The third batch fails: the first two stay committed.
		boom := errors.New("boom")
		n, err = wren.InBatches(ctx, db, rows, 4, func(tx *wren.Tx, batch []*SvItem) error {
			for _, r := range batch {
				if _, err := wren.Exec(ctx, tx, wren.Update(SvItems).Set(wren.Set(SvItems.Qty, int64(100))).Where(SvItems.ID.Eq(r.ID))); err != nil {
					return err
				}
				if r.Name == "r9" {
					return boom
				}
			}
			return nil
		})
		is.True(errors.Is(err, boom))
		is.Equal(n, 8)
		c, err := wren.Count(ctx, db, wren.Select(SvItems.ID).From(SvItems).Where(SvItems.Qty.Eq(100)))
		is.NoErr(err)
		is.Equal(c, int64(8))
		_, err = wren.InBatches(ctx, db, rows, 0, func(*wren.Tx, []*SvItem) error { return nil })
		is.True(err != nil)
	})
}

// The cascade tables declare their references with ON DELETE actions, but
// the schema is created by hand without them (as on MyISAM, or a schema
// made elsewhere): the database refuses to delete a referenced row, and
// DeleteCascade does what the declarations say.
type CaAuthorTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk,noauto"`
	Name wren.Column[string]
}

type CaBookTable struct {
	wren.Table
	ID       wren.Column[int64] `wren:",pk,noauto"`
	AuthorID wren.Column[int64] `wren:",references=ca_authors.id,ondelete=cascade"`
	Title    wren.Column[string]
}

type CaReviewTable struct {
	wren.Table
	ID     wren.Column[int64] `wren:",pk,noauto"`
	BookID wren.Column[int64] `wren:",references=ca_books.id,ondelete=cascade"`
}

type CaFanTable struct {
	wren.Table
	ID       wren.Column[int64]  `wren:",pk,noauto"`
	AuthorID wren.Column[*int64] `wren:",references=ca_authors.id,ondelete=set null"`
}

type CaAwardTable struct {
	wren.Table
	ID       wren.Column[int64] `wren:",pk,noauto"`
	AuthorID wren.Column[int64] `wren:",references=ca_authors.id"`
}

type CaNodeTable struct {
	wren.Table
	ID       wren.Column[int64]  `wren:",pk,noauto"`
	ParentID wren.Column[*int64] `wren:",references=ca_nodes.id,ondelete=cascade"`
}

var (
	CaAuthors = wren.NewTable[CaAuthorTable]("ca_authors")
	CaBooks   = wren.NewTable[CaBookTable]("ca_books")
	CaReviews = wren.NewTable[CaReviewTable]("ca_reviews")
	CaFans    = wren.NewTable[CaFanTable]("ca_fans")
	CaAwards  = wren.NewTable[CaAwardTable]("ca_awards")
	CaNodes   = wren.NewTable[CaNodeTable]("ca_nodes")
)

func TestDeleteCascade(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		for _, s := range []string{
			"CREATE TABLE ca_authors (id BIGINT PRIMARY KEY, name VARCHAR(50) NOT NULL)",
			"CREATE TABLE ca_books (id BIGINT PRIMARY KEY, author_id BIGINT NOT NULL REFERENCES ca_authors (id), title VARCHAR(50) NOT NULL)",
			"CREATE TABLE ca_reviews (id BIGINT PRIMARY KEY, book_id BIGINT NOT NULL REFERENCES ca_books (id))",
			"CREATE TABLE ca_fans (id BIGINT PRIMARY KEY, author_id BIGINT REFERENCES ca_authors (id))",
			"CREATE TABLE ca_awards (id BIGINT PRIMARY KEY, author_id BIGINT NOT NULL REFERENCES ca_authors (id))",
			"CREATE TABLE ca_nodes (id BIGINT PRIMARY KEY, parent_id BIGINT REFERENCES ca_nodes (id))",
			"INSERT INTO ca_authors VALUES (1, 'ann'), (2, 'bob'), (3, 'cy')",
			"INSERT INTO ca_books VALUES (10, 1, 'a1'), (11, 1, 'a2'), (20, 2, 'b1')",
			"INSERT INTO ca_reviews VALUES (100, 10), (101, 11), (102, 20)",
			"INSERT INTO ca_fans VALUES (7, 1), (8, 2)",
			"INSERT INTO ca_awards VALUES (5, 3)",
			"INSERT INTO ca_nodes VALUES (1, NULL), (2, 1), (3, 2), (4, 1), (5, NULL)",
		} {
			mustExec(t, db, s)
		}
		schema := []wren.TableLike{CaAuthors, CaBooks, CaReviews, CaFans, CaAwards, CaNodes}
		// The database itself refuses: no ON DELETE CASCADE in this schema.
		_, err := wren.Exec(ctx, db, wren.Delete(CaAuthors).Where(CaAuthors.ID.Eq(1)))
		is.True(err != nil)

		n, err := wren.DeleteCascade(ctx, db, wren.Delete(CaAuthors).Where(CaAuthors.ID.Eq(1)), schema...)
		is.NoErr(err)
		is.Equal(n, int64(1))
		books, err := wren.All[int64](ctx, db, wren.Select(CaBooks.ID).From(CaBooks).OrderBy(CaBooks.ID))
		is.NoErr(err)
		is.Equal(books, []int64{20})
		reviews, err := wren.All[int64](ctx, db, wren.Select(CaReviews.ID).From(CaReviews).OrderBy(CaReviews.ID))
		is.NoErr(err)
		is.Equal(reviews, []int64{102})
		type fan struct {
			ID       int64
			AuthorID *int64
		}
		fans, err := wren.All[fan](ctx, db, wren.Select(CaFans).From(CaFans).OrderBy(CaFans.ID))
		is.NoErr(err)
		is.Equal(len(fans), 2)
		is.True(fans[0].AuthorID == nil) // set null
		is.Equal(*fans[1].AuthorID, int64(2))

		// An award references author 3 with no ondelete: refused, nothing changed.
		_, err = wren.DeleteCascade(ctx, db, wren.Delete(CaAuthors).Where(CaAuthors.ID.In(2, 3)), schema...)
		is.True(err != nil && strings.Contains(err.Error(), "refused: 1 rows of ca_awards"))
		left, err := wren.Count(ctx, db, wren.Select(CaBooks.ID).From(CaBooks))
		is.NoErr(err)
		is.Equal(left, int64(1)) // book 20 survived the refused delete

		// A tree: deleting the root deletes its descendants.
		n, err = wren.DeleteCascade(ctx, db, wren.Delete(CaNodes).Where(CaNodes.ID.Eq(1)), schema...)
		is.NoErr(err)
		is.Equal(n, int64(1))
		nodes, err := wren.All[int64](ctx, db, wren.Select(CaNodes.ID).From(CaNodes))
		is.NoErr(err)
		is.Equal(nodes, []int64{5})

		_, err = wren.DeleteCascade(ctx, db, wren.Delete(CaAuthors), schema...)
		is.True(err != nil && strings.Contains(err.Error(), "without Where"))
	})
}

type SvLogTable struct {
	wren.Table
	Line wren.Column[string]
}

var SvLogs = wren.NewTable[SvLogTable]("sv_logs")

func TestSaveRefuses(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		is.NoErr(wren.CreateTables(ctx, db, SvLogs, SvItems))
		err := wren.Save(ctx, db, SvLogs, &struct{ Line string }{"x"})
		is.True(err != nil && strings.Contains(err.Error(), "has no primary key"))
		err = wren.Save(ctx, db, SvItems, &struct{ Name string }{"x"})
		is.True(err != nil && strings.Contains(err.Error(), "no field for key column id"))
		err = wren.Save[SvItem](ctx, db, SvItems, nil)
		is.True(err != nil && strings.Contains(err.Error(), "the row is nil"))
		_, err = wren.GetByID[SvItem](ctx, db, SvLogs.Line, "x")
		is.True(err != nil && strings.Contains(err.Error(), "not the primary key"))
		var zero wren.Column[int64]
		_, err = wren.DeleteByID(ctx, db, zero, 1)
		is.True(err != nil)
	})
}
