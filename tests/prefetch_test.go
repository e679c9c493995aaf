package tests

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// The blog of issue 14: authors, posts, tags through post_tags, comments
// with a nullable parent comment.

type BlogAuthorTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
}

type BlogPostTable struct {
	wren.Table
	ID        wren.Column[int64] `wren:",pk"`
	AuthorID  wren.Column[int64] `wren:",references=authors.id"`
	Title     wren.Column[string]
	Published wren.Column[bool]
}

type BlogTagTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
}

type BlogPostTagTable struct {
	wren.Table `wren:"pk=post_id+tag_id"`
	PostID     wren.Column[int64] `wren:",references=posts.id"`
	TagID      wren.Column[int64] `wren:",references=tags.id"`
}

type BlogCommentTable struct {
	wren.Table
	ID       wren.Column[int64]  `wren:",pk"`
	PostID   wren.Column[int64]  `wren:",references=posts.id"`
	ParentID wren.Column[*int64] `wren:",references=comments.id"`
	Body     wren.Column[string]
}

var (
	BAuthors  = wren.NewTable[BlogAuthorTable]("authors")
	BPosts    = wren.NewTable[BlogPostTable]("posts")
	BTags     = wren.NewTable[BlogTagTable]("tags")
	BPostTags = wren.NewTable[BlogPostTagTable]("post_tags")
	BComments = wren.NewTable[BlogCommentTable]("comments")
)

type Author struct {
	ID    int64
	Name  string
	Posts []Post
}

type Post struct {
	ID        int64
	AuthorID  int64
	Title     string
	Published bool
	Tags      []Tag
	Comments  []Comment
}

type Tag struct {
	ID   int64
	Name string
}

type PostTag struct {
	PostID int64
	TagID  int64
}

type Comment struct {
	ID       int64
	PostID   int64
	ParentID *int64
	Body     string
	Replies  []Comment
}

func blogSchema(t *testing.T, db *wren.DB) {
	t.Helper()
	for _, tb := range []wren.TableLike{BAuthors, BPosts, BTags, BPostTags, BComments} {
		if _, err := wren.Exec(ctxT(t), db, wren.CreateTable(tb)); err != nil {
			t.Fatal(err)
		}
	}
}

// blogFixture: authors 1..3 (3 has no posts); posts 1,2 by 1 and 3 by 2
// (post 2 unpublished); tags go, sql, db; comment 2 replies to 1.
func blogFixture(t *testing.T, db *wren.DB) {
	t.Helper()
	ctx := ctxT(t)
	is := is.New(t)
	is.NoErr(wren.Create(ctx, db, BAuthors, &Author{Name: "ann"}, &Author{Name: "bob"}, &Author{Name: "cy"}))
	is.NoErr(wren.Create(ctx, db, BPosts,
		&Post{AuthorID: 1, Title: "p1", Published: true},
		&Post{AuthorID: 1, Title: "p2"},
		&Post{AuthorID: 2, Title: "p3", Published: true}))
	is.NoErr(wren.Create(ctx, db, BTags, &Tag{Name: "go"}, &Tag{Name: "sql"}, &Tag{Name: "db"}))
	is.NoErr(wren.Create(ctx, db, BPostTags, &PostTag{1, 1}, &PostTag{1, 2}, &PostTag{3, 2}, &PostTag{3, 3}))
	one := int64(1)
	is.NoErr(wren.Create(ctx, db, BComments, &Comment{PostID: 1, Body: "first"}))
	is.NoErr(wren.Create(ctx, db, BComments, &Comment{PostID: 1, ParentID: &one, Body: "reply"}, &Comment{PostID: 3, Body: "other"}))
}

func postsRel() wren.Many[Author, Post] {
	return wren.HasMany(BPosts, func(a *Author) *[]Post { return &a.Posts }).OrderBy(BPosts.ID)
}

func tagsRel() wren.Many[Post, Tag] {
	return wren.HasMany(BTags, func(p *Post) *[]Tag { return &p.Tags }).Through(BPostTags).OrderBy(BTags.Name)
}

func joinNames[T any](rows []T, name func(T) string) string {
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = name(r)
	}
	return strings.Join(parts, ",")
}

func TestPrefetch(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		blogSchema(t, db)
		blogFixture(t, db)
		authors, err := wren.All[Author](ctx, db, wren.Select(BAuthors).From(BAuthors).OrderBy(BAuthors.ID))
		is.NoErr(err)
		// Nested, several relations per level: posts, each with its tags
		// (many-to-many) and its top-level comments, each with replies.
		err = wren.Prefetch(ctx, db, BAuthors, authors, postsRel().With(
			tagsRel(),
			wren.HasMany(BComments, func(p *Post) *[]Comment { return &p.Comments }).
				Where(BComments.ParentID.IsNull()).OrderBy(BComments.ID).
				With(wren.HasMany(BComments, func(c *Comment) *[]Comment { return &c.Replies }).OrderBy(BComments.ID)),
		))
		is.NoErr(err)
		is.Equal(len(authors), 3)
		is.Equal(joinNames(authors[0].Posts, func(p Post) string { return p.Title }), "p1,p2")
		is.Equal(joinNames(authors[1].Posts, func(p Post) string { return p.Title }), "p3")
		is.True(authors[2].Posts == nil)
		tagNames := func(p Post) string { return joinNames(p.Tags, func(t Tag) string { return t.Name }) }
		is.Equal(tagNames(authors[0].Posts[0]), "go,sql")
		is.Equal(tagNames(authors[0].Posts[1]), "")
		is.Equal(tagNames(authors[1].Posts[0]), "db,sql")
		p1 := authors[0].Posts[0]
		is.Equal(len(p1.Comments), 1)
		is.Equal(p1.Comments[0].Body, "first")
		is.Equal(joinNames(p1.Comments[0].Replies, func(c Comment) string { return c.Body }), "reply")
		is.Equal(authors[1].Posts[0].Comments[0].Body, "other")

		// A filter on the relation; parents given twice share their key.
		twice := []Author{authors[0], authors[0]}
		is.NoErr(wren.Prefetch(ctx, db, BAuthors, twice, postsRel().Where(BPosts.Published.Eq(true))))
		is.Equal(joinNames(twice[0].Posts, func(p Post) string { return p.Title }), "p1")
		is.Equal(joinNames(twice[1].Posts, func(p Post) string { return p.Title }), "p1")

		// Many-to-many from the other side: tags with their posts.
		type TagPosts struct {
			ID    int64
			Name  string
			Posts []Post
		}
		tags, err := wren.All[TagPosts](ctx, db, wren.Select(BTags).From(BTags).OrderBy(BTags.ID))
		is.NoErr(err)
		is.NoErr(wren.Prefetch(ctx, db, BTags, tags,
			wren.HasMany(BPosts, func(t *TagPosts) *[]Post { return &t.Posts }).Through(BPostTags).OrderBy(BPosts.ID)))
		is.Equal(joinNames(tags[1].Posts, func(p Post) string { return p.Title }), "p1,p3")

		// No parents: no query, no error.
		is.NoErr(wren.Prefetch(ctx, db, BAuthors, []Author(nil), postsRel()))
	})
}

// An editor column makes posts reference authors twice.
type BlogEditedTable struct {
	wren.Table
	ID       wren.Column[int64] `wren:",pk"`
	AuthorID wren.Column[int64] `wren:",references=authors.id"`
	EditorID wren.Column[int64] `wren:",references=authors.id"`
	Title    wren.Column[string]
}

var BEdited = wren.NewTable[BlogEditedTable]("edited")

type EditedPost struct {
	ID       int64
	AuthorID int64
	EditorID int64
	Title    string
}

type AuthorEdits struct {
	ID     int64
	Name   string
	Edited []EditedPost
}

func TestPrefetchResolution(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		blogSchema(t, db)
		blogFixture(t, db)
		_, err := wren.Exec(ctx, db, wren.CreateTable(BEdited))
		is.NoErr(err)
		is.NoErr(wren.Create(ctx, db, BEdited, &EditedPost{AuthorID: 1, EditorID: 2, Title: "e1"}))
		authors, err := wren.All[AuthorEdits](ctx, db, wren.Select(BAuthors).From(BAuthors).OrderBy(BAuthors.ID))
		is.NoErr(err)
		rel := wren.HasMany(BEdited, func(a *AuthorEdits) *[]EditedPost { return &a.Edited })

		// Two candidate keys: the error names both and says how to choose.
		err = wren.Prefetch(ctx, db, BAuthors, authors, rel)
		is.True(err != nil)
		is.True(strings.Contains(err.Error(), "edited.author_id and edited.editor_id"))
		is.True(strings.Contains(err.Error(), "On("))

		is.NoErr(wren.Prefetch(ctx, db, BAuthors, authors, rel.On(BEdited.EditorID)))
		is.Equal(len(authors[0].Edited), 0)
		is.Equal(authors[1].Edited[0].Title, "e1")

		// No key at all: tags do not reference authors.
		type AuthorTags struct {
			ID   int64
			Tags []Tag
		}
		at := []AuthorTags{{ID: 1}}
		err = wren.Prefetch(ctx, db, BAuthors, at, wren.HasMany(BTags, func(a *AuthorTags) *[]Tag { return &a.Tags }))
		is.True(err != nil)
		is.True(strings.Contains(err.Error(), "table tags has no column declared references=authors"))

		// A parent struct without the key field.
		type Nameless struct {
			Name  string
			Posts []Post
		}
		err = wren.Prefetch(ctx, db, BAuthors, []Nameless{{Name: "x"}}, wren.HasMany(BPosts, func(a *Nameless) *[]Post { return &a.Posts }))
		is.True(err != nil)
		is.True(strings.Contains(err.Error(), "has no field for the key column authors.id"))
	})
}

// queryCounter counts the statements a pgx pool sends.
type queryCounter struct{ n atomic.Int64 }

func (c *queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TestPrefetchQueryCount: one query per relation and level, whatever the
// number of parents, with one statement text (= ANY($1)) on PostgreSQL.
func TestPrefetchQueryCount(t *testing.T) {
	t.Parallel()
	is := is.New(t)
	ctx := ctxT(t)
	db := openTestDB(t, "postgres")
	blogSchema(t, db)
	blogFixture(t, db)
	cfg := db.Pool().Config()
	counter := &queryCounter{}
	cfg.ConnConfig.Tracer = counter
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	is.NoErr(err)
	defer pool.Close()
	traced := wren.OpenPool(pool)
	for _, n := range []int{1, 3} {
		authors, err := wren.All[Author](ctx, traced, wren.Select(BAuthors).From(BAuthors).OrderBy(BAuthors.ID).Limit(n))
		is.NoErr(err)
		before := counter.n.Load()
		is.NoErr(wren.Prefetch(ctx, traced, BAuthors, authors, postsRel().With(tagsRel())))
		is.Equal(counter.n.Load()-before, int64(2)) // posts, then tags
	}
	text, _, err := tagsRel().Statement(BPosts, []int64{1, 2, 3}).SQL(traced.Dialect())
	is.NoErr(err)
	is.True(strings.Contains(text, `"post_tags"."post_id" = ANY($1)`))
}

// argsRecorder keeps the arguments of every query a pgx connection sends.
type argsRecorder struct {
	mu   sync.Mutex
	args [][]any
}

func (r *argsRecorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.mu.Lock()
	// A copy: the caller may reuse its argument slice once the query is sent.
	r.args = append(r.args, append([]any(nil), d.Args...))
	r.mu.Unlock()
	return ctx
}

func (r *argsRecorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TestPrefetchNestedKeyOrder: a nested level asks for the keys of the
// children in the order of their parents and of the relation's OrderBy —
// the same list every run, not a map's order.
func TestPrefetchNestedKeyOrder(t *testing.T) {
	t.Parallel()
	is := is.New(t)
	ctx := ctxT(t)
	db := openTestDB(t, "postgres")
	blogSchema(t, db)
	blogFixture(t, db)
	cfg := db.Pool().Config()
	rec := &argsRecorder{}
	cfg.ConnConfig.Tracer = rec
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	is.NoErr(err)
	defer pool.Close()
	traced := wren.OpenPool(pool)
	// Authors 2 then 1: posts 3, then 1 and 2 (OrderBy posts.id).
	authors, err := wren.All[Author](ctx, traced, wren.Select(BAuthors).From(BAuthors).
		Where(BAuthors.ID.In(1, 2)).OrderBy(BAuthors.ID.Desc()))
	is.NoErr(err)
	for range 20 {
		rec.mu.Lock()
		rec.args = nil
		rec.mu.Unlock()
		is.NoErr(wren.Prefetch(ctx, traced, BAuthors, authors, postsRel().With(tagsRel())))
		rec.mu.Lock()
		got := rec.args
		rec.mu.Unlock()
		is.Equal(len(got), 2)                     // posts, then tags
		is.Equal(got[0], []any{[]int64{2, 1}})    // the authors' keys, in their order
		is.Equal(got[1], []any{[]int64{3, 1, 2}}) // the posts' keys, by author, then post id
	}
}
