package wren_test

import (
	"context"
	"fmt"
	"time"

	"github.com/wrensql/wren"
)

// The blog of the relation examples: authors, their posts, and tags
// through post_tags.

type ExAuthorTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
}

type ExPostTable struct {
	wren.Table
	ID       wren.Column[int64] `wren:",pk"`
	AuthorID wren.Column[int64] `wren:",references=authors.id"`
	Title    wren.Column[string]
}

type ExTagTable struct {
	wren.Table
	ID   wren.Column[int64]  `wren:",pk"`
	Name wren.Column[string] `wren:",unique"`
}

type ExPostTagTable struct {
	wren.Table `wren:"pk=post_id+tag_id"`
	PostID     wren.Column[int64] `wren:",references=posts.id"`
	TagID      wren.Column[int64] `wren:",references=tags.id"`
}

var (
	ExAuthors  = wren.NewTable[ExAuthorTable]("authors")
	ExPosts    = wren.NewTable[ExPostTable]("posts")
	ExTags     = wren.NewTable[ExTagTable]("tags")
	ExPostTags = wren.NewTable[ExPostTagTable]("post_tags")
)

type ExAuthor struct {
	ID    int64
	Name  string
	Posts []ExPost // filled by Prefetch; Create leaves it alone
}

type ExPost struct {
	ID       int64
	AuthorID int64
	Title    string
	Tags     []ExTag
}

type ExTag struct {
	ID   int64
	Name string
}

type ExPostTag struct {
	PostID, TagID int64
}

func ExamplePrefetch() {
	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(wren.CreateTables(ctx, db, ExAuthors, ExPosts, ExTags, ExPostTags))
	must(wren.Create(ctx, db, ExAuthors, &ExAuthor{Name: "ann"}, &ExAuthor{Name: "bob"}))
	must(wren.Create(ctx, db, ExPosts, &ExPost{AuthorID: 1, Title: "Generics"}, &ExPost{AuthorID: 1, Title: "Iterators"}))
	must(wren.Create(ctx, db, ExTags, &ExTag{Name: "go"}, &ExTag{Name: "sql"}))
	must(wren.Create(ctx, db, ExPostTags, &ExPostTag{1, 1}, &ExPostTag{1, 2}, &ExPostTag{2, 1}))

	authors, err := wren.All[ExAuthor](ctx, db, wren.Select(ExAuthors).From(ExAuthors).OrderBy(ExAuthors.ID))
	must(err)
	// Two queries, however many authors: their posts, then those posts' tags.
	must(wren.Prefetch(ctx, db, ExAuthors, authors,
		wren.HasMany(ExPosts, func(a *ExAuthor) *[]ExPost { return &a.Posts }).OrderBy(ExPosts.ID).
			With(wren.HasMany(ExTags, func(p *ExPost) *[]ExTag { return &p.Tags }).Through(ExPostTags).OrderBy(ExTags.Name))))
	for _, a := range authors {
		fmt.Println(a.Name, len(a.Posts), "posts")
		for _, p := range a.Posts {
			fmt.Print("  ", p.Title, ":")
			for _, t := range p.Tags {
				fmt.Print(" ", t.Name)
			}
			fmt.Println()
		}
	}
	// Output:
	// ann 2 posts
	//   Generics: go sql
	//   Iterators: go
	// bob 0 posts
}

func ExampleMany_Statement() {
	posts := wren.HasMany(ExPosts, func(a *ExAuthor) *[]ExPost { return &a.Posts })
	// = ANY($1): one statement text for any number of authors.
	show(posts.Statement(ExAuthors, []int64{1, 2, 3}))
	tags := wren.HasMany(ExTags, func(p *ExPost) *[]ExTag { return &p.Tags }).Through(ExPostTags)
	show(tags.Statement(ExPosts, []int64{1, 2}))
	// No references= from tags to authors: an error says how to name it.
	show(wren.HasMany(ExTags, func(a *ExAuthor) *[]ExTag { return nil }).Statement(ExAuthors, []int64{1}))
	// Output:
	// SELECT "author_id" AS "wren_key", "id", "author_id", "title" FROM "posts" WHERE "author_id" = ANY($1)
	// [[1 2 3]]
	// SELECT "post_tags"."post_id" AS "wren_key", "tags"."id", "tags"."name" FROM "tags" JOIN "post_tags" ON "post_tags"."tag_id" = "tags"."id" WHERE "post_tags"."post_id" = ANY($1)
	// [[1 2]]
	// error: wren: HasMany[wren_test.ExAuthor, wren_test.ExTag] (authors → tags): table tags has no column declared references=authors.…: declare one in its `wren` tag, or name the column with On(column)
}

type ExNoteTable struct {
	wren.Table
	ID        wren.Column[int64] `wren:",pk"`
	Title     wren.Column[string]
	Stars     wren.Column[int64]     `wren:",default=3,omitzero"`
	CreatedAt wren.Column[time.Time] `wren:",default=CURRENT_TIMESTAMP,omitzero"`
	UpdatedAt wren.Column[time.Time] `wren:",autoupdate"`
}

var ExNotes = wren.NewTable[ExNoteTable]("notes")

type ExNote struct {
	ID        int64
	Title     string
	Stars     int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func Example_insertDefaults() {
	// omitzero leaves a zero field's column out, so its DEFAULT applies;
	// a zero autoupdate column gets CURRENT_TIMESTAMP.
	show(wren.Insert(ExNotes).Rows(&ExNote{Title: "hello"}))
	// SetRow keeps an autoupdate column current.
	show(wren.Update(ExNotes).SetRow(&ExNote{ID: 1, Title: "hi"}, ExNotes.Title).Where(ExNotes.ID.Eq(1)))

	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if _, err := wren.Exec(ctx, db, wren.CreateTable(ExNotes)); err != nil {
		panic(err)
	}
	n := ExNote{Title: "hello"}
	// Create reads what the database generated back into the struct.
	if err := wren.Create(ctx, db, ExNotes, &n); err != nil {
		panic(err)
	}
	fmt.Println(n.ID, n.Stars, !n.CreatedAt.IsZero(), !n.UpdatedAt.IsZero())
	// Output:
	// INSERT INTO "notes" ("title", "updated_at") VALUES ($1, CURRENT_TIMESTAMP)
	// [hello]
	// UPDATE "notes" SET "title" = $1, "updated_at" = CURRENT_TIMESTAMP WHERE "id" = $2
	// [hi 1]
	// 1 3 true true
}

func ExampleGetOrCreate() {
	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if err := wren.CreateTables(ctx, db, ExTags); err != nil {
		panic(err)
	}
	for _, name := range []string{"go", "sql", "go"} {
		t := ExTag{Name: name}
		created, err := wren.GetOrCreate(ctx, db, ExTags, &t, ExTags.Name)
		if err != nil {
			panic(err)
		}
		fmt.Println(t.ID, t.Name, created)
	}
	// Output:
	// 1 go true
	// 2 sql true
	// 1 go false
}

func ExampleUpsertRow() {
	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if _, err := wren.Exec(ctx, db, wren.CreateTable(ExNotes)); err != nil {
		panic(err)
	}
	// Insert, or update the row with the same key, and hand back the row
	// as stored.
	n := ExNote{ID: 7, Title: "draft"}
	if err := wren.UpsertRow(ctx, db, ExNotes, &n, wren.Columns(ExNotes.ID)); err != nil {
		panic(err)
	}
	fmt.Println(n.ID, n.Title, n.Stars)
	n = ExNote{ID: 7, Title: "final", Stars: 5}
	if err := wren.UpsertRow(ctx, db, ExNotes, &n, wren.Columns(ExNotes.ID), ExNotes.Stars); err != nil {
		panic(err)
	}
	fmt.Println(n.ID, n.Title, n.Stars)
	// Output:
	// 7 draft 3
	// 7 draft 5
}
