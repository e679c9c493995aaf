package wren_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/wrensql/wren"
)

// The tables of these examples: notes with an auto-increment key, and
// their tags, declared to go when their note goes.

type NoteTable struct {
	wren.Table
	ID    wren.Column[int64] `wren:",pk"`
	Title wren.Column[string]
	Body  wren.Column[string]
	Stars wren.Column[int64]
}

type TagTable struct {
	wren.Table
	ID     wren.Column[int64] `wren:",pk"`
	NoteID wren.Column[int64] `wren:",references=notes.id,ondelete=cascade"`
	Name   wren.Column[string]
}

type Note struct {
	ID    int64
	Title string
	Body  string
	Stars int64
}

var (
	Notes      = wren.NewTable[NoteTable]("notes")
	Tags       = wren.NewTable[TagTable]("tags")
	NoteSearch = wren.FullText(Notes, Notes.Title, Notes.Body)
)

// notesDB opens an in-memory SQLite database with the notes tables.
func notesDB(ctx context.Context) *wren.DB {
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	if err := wren.CreateTables(ctx, db, Notes, Tags); err != nil {
		panic(err)
	}
	return db
}

func ExampleSave() {
	ctx := context.Background()
	db := notesDB(ctx)
	defer db.Close()

	n := &Note{Title: "groceries", Body: "eggs", Stars: 1}
	_ = wren.Save(ctx, db, Notes, n) // key zero: INSERT, and n.ID is set
	n.Body = "eggs, milk"
	_ = wren.Save(ctx, db, Notes, n) // key set: UPDATE … WHERE id = n.ID
	n.Stars = 5
	_ = wren.Save(ctx, db, Notes, n, Notes.Stars) // only the stars column

	got, err := wren.GetByID[Note](ctx, db, Notes.ID, n.ID)
	fmt.Println(got, err)
	_, err = wren.GetByID[Note](ctx, db, Notes.ID, 99)
	fmt.Println(errors.Is(err, wren.ErrNoRows))
	deleted, err := wren.DeleteByID(ctx, db, Notes.ID, n.ID)
	fmt.Println(deleted, err)
	// Output:
	// {1 groceries eggs, milk 5} <nil>
	// true
	// 1 <nil>
}

func ExampleUpdateRow() {
	n := Note{ID: 7, Title: "t", Body: "b", Stars: 2}
	show(wren.UpdateRow(Notes, &n))
	show(wren.UpdateRow(Notes, &n, Notes.Stars))
	show(wren.DeleteRow(Notes, &n))
	// Output:
	// UPDATE "notes" SET "title" = $1, "body" = $2, "stars" = $3 WHERE ("id" = $4)
	// [t b 2 7]
	// UPDATE "notes" SET "stars" = $1 WHERE ("id" = $2)
	// [2 7]
	// DELETE FROM "notes" WHERE ("id" = $1)
	// [7]
}

func ExampleUpdateChanged() {
	ctx := context.Background()
	db := notesDB(ctx)
	defer db.Close()
	n := &Note{Title: "draft", Body: "…"}
	_ = wren.Save(ctx, db, Notes, n)

	before := *n
	n.Stars = 3 // UPDATE "notes" SET "stars" = ? WHERE ("id" = ?)
	rows, err := wren.UpdateChanged(ctx, db, Notes, &before, n)
	fmt.Println(rows, err)
	// Output:
	// 1 <nil>
}

func ExampleDeleteCascade() {
	ctx := context.Background()
	db := notesDB(ctx)
	defer db.Close()
	n := &Note{Title: "trip"}
	_ = wren.Save(ctx, db, Notes, n)
	_, _ = wren.Exec(ctx, db, wren.Insert(Tags).Set(wren.Set(Tags.NoteID, n.ID), wren.Set(Tags.Name, "travel")))

	// The tags are deleted first, as their references= declaration says,
	// whether or not the schema has ON DELETE CASCADE.
	deleted, err := wren.DeleteCascade(ctx, db, wren.Delete(Notes).Where(Notes.ID.Eq(n.ID)), Notes, Tags)
	left, _ := wren.Count(ctx, db, wren.Select(Tags.ID).From(Tags))
	fmt.Println(deleted, err, left)
	// Output:
	// 1 <nil> 0
}

func ExampleAllMaps() {
	ctx := context.Background()
	db := notesDB(ctx)
	defer db.Close()
	_ = wren.Create(ctx, db, Notes, &Note{Title: "a", Stars: 2}, &Note{Title: "b", Stars: 4})

	rows, err := wren.AllMaps(ctx, db, wren.Select(Notes.Title, Notes.Stars).From(Notes).OrderBy(Notes.ID))
	if err != nil {
		panic(err)
	}
	out, _ := json.Marshal(rows)
	fmt.Println(string(out))
	fmt.Printf("%T\n", rows[0]["stars"]) // the same Go type on every database
	// Output:
	// [{"stars":2,"title":"a"},{"stars":4,"title":"b"}]
	// int64
}

func ExampleAllTuples() {
	ctx := context.Background()
	db := notesDB(ctx)
	defer db.Close()
	_ = wren.Create(ctx, db, Notes, &Note{Title: "a", Stars: 2}, &Note{Title: "b", Stars: 4})

	cols, rows, err := wren.AllTuples(ctx, db, wren.RawStmt("SELECT title, stars * 10 AS score FROM notes ORDER BY id"))
	fmt.Println(cols, rows, err)
	// Output:
	// [title score] [[a 20] [b 40]] <nil>
}

func ExampleInBatches() {
	ctx := context.Background()
	db := notesDB(ctx)
	defer db.Close()
	notes := make([]*Note, 10)
	for i := range notes {
		notes[i] = &Note{Title: fmt.Sprint("n", i)}
	}
	// Four rows per transaction, each committed before the next begins.
	done, err := wren.CreateInBatches(ctx, db, Notes, 4, notes...)
	fmt.Println(done, err, notes[9].ID)
	// Output:
	// 10 <nil> 10
}

func ExampleFullText() {
	ctx := context.Background()
	db := notesDB(ctx) // CreateTables made the FTS5 table and its triggers
	defer db.Close()
	_ = wren.Create(ctx, db, Notes,
		&Note{Title: "Pasta night", Body: "boil water, add pasta and salt"},
		&Note{Title: "Garden", Body: "tomatoes and basil for the pasta"},
		&Note{Title: "Databases", Body: "indexes and query plans"})

	q := wren.AllWords("pasta")
	rank := NoteSearch.Rank(q).As("rank")
	type hit struct {
		Title string
		Rank  float64
		Snip  string
	}
	hits, err := wren.All[hit](ctx, db, wren.Select(
		NoteSearch.Highlight(Notes.Title, q, "[", "]").As("title"), rank,
		NoteSearch.Snippet(Notes.Body, q, "[", "]", "…", 4).As("snip")).
		From(Notes).Where(NoteSearch.Match(q)).OrderBy(rank.Desc()))
	if err != nil {
		panic(err)
	}
	for _, h := range hits {
		fmt.Printf("%s | %s | %t\n", h.Title, h.Snip, h.Rank > 0)
	}
	// Output:
	// [Pasta] night | boil water, add [pasta]… | true
	// Garden | …basil for the [pasta] | true
}

func ExampleFullTextIndex_Match() {
	show(wren.Select(Notes.ID).From(Notes).Where(NoteSearch.Match(wren.PrefixWords("pasta sal").Without("garden"))))
	// Output:
	// SELECT "id" FROM "notes" WHERE (to_tsvector('simple'::regconfig, coalesce("title", '') || ' ' || coalesce("body", '')) @@ to_tsquery('simple'::regconfig, $1))
	// [(pasta & sal:*) & !garden]
}
