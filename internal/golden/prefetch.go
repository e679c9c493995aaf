package golden

import "github.com/wrensql/wren"

// The blog tables of the prefetch cases: authors, posts, tags through
// post_tags.

// BlogAuthorTable is the authors table.
type BlogAuthorTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
}

// BlogPostTable is the posts table.
type BlogPostTable struct {
	wren.Table
	ID        wren.Column[int64] `wren:",pk"`
	AuthorID  wren.Column[int64] `wren:",references=authors.id"`
	Title     wren.Column[string]
	Published wren.Column[bool]
}

// BlogTagTable is the tags table.
type BlogTagTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
}

// BlogPostTagTable joins posts and tags.
type BlogPostTagTable struct {
	wren.Table `wren:"pk=post_id+tag_id"`
	PostID     wren.Column[int64] `wren:",references=posts.id"`
	TagID      wren.Column[int64] `wren:",references=tags.id"`
}

// Blog descriptors.
var (
	BlogAuthors  = wren.NewTable[BlogAuthorTable]("authors")
	BlogPosts    = wren.NewTable[BlogPostTable]("posts")
	BlogTags     = wren.NewTable[BlogTagTable]("tags")
	BlogPostTags = wren.NewTable[BlogPostTagTable]("post_tags")
)

type blogAuthor struct {
	ID    int64
	Name  string
	Posts []blogPost
}

type blogPost struct {
	ID       int64
	AuthorID int64
	Title    string
	Tags     []blogTag
}

type blogTag struct {
	ID   int64
	Name string
}

var (
	authorPosts = wren.HasMany(BlogPosts, func(a *blogAuthor) *[]blogPost { return &a.Posts })
	postTags    = wren.HasMany(BlogTags, func(p *blogPost) *[]blogTag { return &p.Tags }).Through(BlogPostTags)
)

var _ = Add(
	Case{Name: "prefetch one-to-many", NoPrepare: true,
		Stmt: authorPosts.OrderBy(BlogPosts.ID).Statement(BlogAuthors, []int64{1, 2, 3})},
	Case{Name: "prefetch one-to-many with a filter", NoPrepare: true,
		Stmt: authorPosts.Where(BlogPosts.Published.Eq(true)).OrderBy(BlogPosts.ID.Desc()).Statement(BlogAuthors, []int64{7})},
	Case{Name: "prefetch many-to-many through a join table", NoPrepare: true,
		Stmt: postTags.OrderBy(BlogTags.Name).Statement(BlogPosts, []int64{1, 2})},
	Case{Name: "prefetch with no key declared is an error", NoPrepare: true,
		Stmt: wren.HasMany(BlogTags, func(a *blogAuthor) *[]blogTag { return nil }).Statement(BlogAuthors, []int64{1})},
	Case{Name: "prefetch through a table that does not reference the parent is an error", NoPrepare: true,
		Stmt: wren.HasMany(BlogTags, func(a *blogAuthor) *[]blogTag { return nil }).Through(BlogPostTags).Statement(BlogAuthors, []int64{1})},
)
