package wren_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/wrensql/wren"
)

// The prefetch benchmark of issue 14: the posts of 100 authors (10 each)
// with their tags (3 of 20 each, through post_tags), by Prefetch and by the
// hand-written two-query version. Both send two queries per operation.

type pbAuthorTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
}

type pbPostTable struct {
	wren.Table
	ID       wren.Column[int64] `wren:",pk"`
	AuthorID wren.Column[int64] `wren:",references=pb_authors.id"`
	Title    wren.Column[string]
}

type pbTagTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
}

type pbPostTagTable struct {
	wren.Table `wren:"pk=post_id+tag_id"`
	PostID     wren.Column[int64] `wren:",references=pb_posts.id"`
	TagID      wren.Column[int64] `wren:",references=pb_tags.id"`
}

var (
	pbAuthors  = wren.NewTable[pbAuthorTable]("pb_authors")
	pbPosts    = wren.NewTable[pbPostTable]("pb_posts")
	pbTags     = wren.NewTable[pbTagTable]("pb_tags")
	pbPostTags = wren.NewTable[pbPostTagTable]("pb_post_tags")
)

type pbAuthor struct {
	ID    int64
	Name  string
	Posts []pbPost
}

type pbPost struct {
	ID       int64
	AuthorID int64
	Title    string
	Tags     []pbTag
}

type pbTag struct {
	ID   int64
	Name string
}

type pbPostTag struct {
	PostID int64
	TagID  int64
}

// openBenchDB opens a fresh database for a benchmark: an SQLite file, a
// PostgreSQL schema or a MySQL database of a random name (dropped after),
// or skips when the server's DSN is not set.
func openBenchDB(b *testing.B, name string) *wren.DB {
	ctx := context.Background()
	rnd := make([]byte, 6)
	rand.Read(rnd)
	tmp := "wb_" + hex.EncodeToString(rnd)
	switch name {
	case "sqlite":
		db, err := wren.Open(ctx, "sqlite", filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	case "postgres":
		dsn := os.Getenv("WREN_POSTGRES_DSN")
		if dsn == "" {
			b.Skip("WREN_POSTGRES_DSN not set")
		}
		admin, err := wren.Open(ctx, "postgres", dsn)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := wren.Exec(ctx, admin, wren.RawStmt("CREATE SCHEMA "+tmp)); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() {
			wren.Exec(context.Background(), admin, wren.RawStmt("DROP SCHEMA "+tmp+" CASCADE"))
			admin.Close()
		})
		u, err := url.Parse(dsn)
		if err != nil {
			b.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", tmp)
		u.RawQuery = q.Encode()
		db, err := wren.Open(ctx, "postgres", u.String())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	default:
		dsn := os.Getenv("WREN_MYSQL_DSN")
		if dsn == "" {
			b.Skip("WREN_MYSQL_DSN not set")
		}
		admin, err := wren.Open(ctx, "mysql", dsn)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := wren.Exec(ctx, admin, wren.RawStmt("CREATE DATABASE "+tmp)); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() {
			wren.Exec(context.Background(), admin, wren.RawStmt("DROP DATABASE "+tmp))
			admin.Close()
		})
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			b.Fatal(err)
		}
		cfg.DBName = tmp
		db, err := wren.Open(ctx, "mysql", cfg.FormatDSN())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	}
}

func pbFixture(b *testing.B, db *wren.DB) []pbAuthor {
	ctx := context.Background()
	if err := wren.CreateTables(ctx, db, pbAuthors, pbPosts, pbTags, pbPostTags); err != nil {
		b.Fatal(err)
	}
	var authors []*pbAuthor
	for i := 0; i < 100; i++ {
		authors = append(authors, &pbAuthor{Name: fmt.Sprint("a", i)})
	}
	var tags []*pbTag
	for i := 0; i < 20; i++ {
		tags = append(tags, &pbTag{Name: fmt.Sprint("t", i)})
	}
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(wren.Create(ctx, db, pbAuthors, authors...))
	must(wren.Create(ctx, db, pbTags, tags...))
	var posts []*pbPost
	for _, a := range authors {
		for j := 0; j < 10; j++ {
			posts = append(posts, &pbPost{AuthorID: a.ID, Title: fmt.Sprint("p", j)})
		}
	}
	must(wren.Create(ctx, db, pbPosts, posts...))
	var pts []*pbPostTag
	for i, p := range posts {
		for j := 0; j < 3; j++ {
			pts = append(pts, &pbPostTag{PostID: p.ID, TagID: tags[(i+j*7)%20].ID})
		}
	}
	must(wren.Create(ctx, db, pbPostTags, pts...))
	out, err := wren.All[pbAuthor](ctx, db, wren.Select(pbAuthors).From(pbAuthors).OrderBy(pbAuthors.ID))
	must(err)
	return out
}

// handPrefetch is the hand-written two-query version: the posts of the
// authors grouped into a map, then the tags of those posts grouped the same
// way, with the best client each database has (pgx natively on PostgreSQL,
// statements prepared once on MySQL and SQLite).
type handPrefetch struct {
	db               *wren.DB
	postsSQL, tagSQL string
	posts, tags      *sql.Stmt
}

func newHandPrefetch(b *testing.B, db *wren.DB, nAuthors, nPosts int) *handPrefetch {
	h := &handPrefetch{db: db}
	if db.Pool() != nil {
		h.postsSQL = "SELECT id, author_id, title FROM pb_posts WHERE author_id = ANY($1) ORDER BY id"
		h.tagSQL = "SELECT pt.post_id, t.id, t.name FROM pb_tags t JOIN pb_post_tags pt ON pt.tag_id = t.id WHERE pt.post_id = ANY($1) ORDER BY t.name"
		return h
	}
	marks := func(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }
	var err error
	h.posts, err = db.SQLDB().Prepare("SELECT id, author_id, title FROM pb_posts WHERE author_id IN (" + marks(nAuthors) + ") ORDER BY id")
	if err != nil {
		b.Fatal(err)
	}
	h.tags, err = db.SQLDB().Prepare("SELECT pt.post_id, t.id, t.name FROM pb_tags t JOIN pb_post_tags pt ON pt.tag_id = t.id WHERE pt.post_id IN (" + marks(nPosts) + ") ORDER BY t.name")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { h.posts.Close(); h.tags.Close() })
	return h
}

// scanner is what both *sql.Rows and pgx.Rows offer.
type scanner interface {
	Next() bool
	Scan(...any) error
	Err() error
}

func (h *handPrefetch) query(ctx context.Context, pgText string, st *sql.Stmt, ids []int64) (scanner, func(), error) {
	if h.db.Pool() != nil {
		rows, err := h.db.Pool().Query(ctx, pgText, ids)
		return rows, rows.Close, err
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, nil, err
	}
	return rows, func() { rows.Close() }, nil
}

func (h *handPrefetch) run(ctx context.Context, authors []pbAuthor) error {
	ids := make([]int64, len(authors))
	for i := range authors {
		ids[i] = authors[i].ID
	}
	rows, done, err := h.query(ctx, h.postsSQL, h.posts, ids)
	if err != nil {
		return err
	}
	byAuthor := make(map[int64][]pbPost, len(authors))
	nPosts := 0
	for rows.Next() {
		var p pbPost
		if err := rows.Scan(&p.ID, &p.AuthorID, &p.Title); err != nil {
			done()
			return err
		}
		byAuthor[p.AuthorID] = append(byAuthor[p.AuthorID], p)
		nPosts++
	}
	done()
	if err := rows.Err(); err != nil {
		return err
	}
	postIDs := make([]int64, 0, nPosts)
	for i := range authors {
		authors[i].Posts = byAuthor[authors[i].ID]
		for _, p := range authors[i].Posts {
			postIDs = append(postIDs, p.ID)
		}
	}
	rows, done, err = h.query(ctx, h.tagSQL, h.tags, postIDs)
	if err != nil {
		return err
	}
	byPost := make(map[int64][]pbTag, nPosts)
	for rows.Next() {
		var postID int64
		var t pbTag
		if err := rows.Scan(&postID, &t.ID, &t.Name); err != nil {
			done()
			return err
		}
		byPost[postID] = append(byPost[postID], t)
	}
	done()
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range authors {
		for j := range authors[i].Posts {
			p := &authors[i].Posts[j]
			p.Tags = byPost[p.ID]
		}
	}
	return nil
}

func checkPrefetched(b *testing.B, authors []pbAuthor) {
	for _, a := range authors {
		if len(a.Posts) != 10 || len(a.Posts[9].Tags) != 3 {
			b.Fatalf("author %d: %d posts", a.ID, len(a.Posts))
		}
	}
}

// BenchmarkPrefetch compares Prefetch with the hand-written two-query
// version on each database (PostgreSQL and MySQL when WREN_POSTGRES_DSN
// and WREN_MYSQL_DSN are set). Both send two queries per operation.
func BenchmarkPrefetch(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres", "mysql"} {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			db := openBenchDB(b, name)
			authors := pbFixture(b, db)
			rel := wren.HasMany(pbPosts, func(a *pbAuthor) *[]pbPost { return &a.Posts }).OrderBy(pbPosts.ID).
				With(wren.HasMany(pbTags, func(p *pbPost) *[]pbTag { return &p.Tags }).Through(pbPostTags).OrderBy(pbTags.Name))
			hand := newHandPrefetch(b, db, 100, 1000)
			b.Run("wren", func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if err := wren.Prefetch(ctx, db, pbAuthors, authors, rel); err != nil {
						b.Fatal(err)
					}
				}
				checkPrefetched(b, authors)
			})
			b.Run("hand", func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if err := hand.run(ctx, authors); err != nil {
						b.Fatal(err)
					}
				}
				checkPrefetched(b, authors)
			})
		})
	}
}
