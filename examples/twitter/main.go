// Command twitter is the example app of Peewee's README, written with wren:
// users and tweets, created from table descriptors, queried every way the
// README shows, and an atomic counter update.
//
//	go run ./examples/twitter                       # embedded SQLite, a temporary file
//	go run ./examples/twitter -driver postgres -dsn 'postgres://postgres@127.0.0.1:5432/postgres'
//	go run ./examples/twitter -driver mysql -dsn 'root@tcp(127.0.0.1:3306)/test'
//
// On PostgreSQL and MySQL it drops and recreates its tables (users, tweets,
// counters) in the database the DSN names.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/wrensql/wren"
)

// UserTable is Peewee's User model.
type UserTable struct {
	wren.Table
	ID       wren.Column[int64]  `wren:",pk"`
	Username wren.Column[string] `wren:",unique"`
}

// TweetTable is Peewee's Tweet model.
type TweetTable struct {
	wren.Table
	ID          wren.Column[int64] `wren:",pk"`
	UserID      wren.Column[int64] `wren:",references=users.id,ondelete=cascade"`
	Message     wren.Column[string]
	CreatedDate wren.Column[time.Time] `wren:",index"`
	IsPublished wren.Column[bool]      `wren:",default=TRUE"`
}

// CounterTable counts page views, for the atomic update.
type CounterTable struct {
	wren.Table
	URL   wren.Column[string] `wren:",pk,size=200"`
	Count wren.Column[int64]
}

// The table descriptors.
var (
	Users    = wren.NewTable[UserTable]("users")
	Tweets   = wren.NewTable[TweetTable]("tweets")
	Counters = wren.NewTable[CounterTable]("counters")
)

// User is a row of users.
type User struct {
	ID       int64
	Username string
}

// Tweet is a row of tweets.
type Tweet struct {
	ID          int64
	UserID      int64
	Message     string
	CreatedDate time.Time
	IsPublished bool
}

// TweetWithUser is a tweet joined with its author.
type TweetWithUser struct {
	Message string
	User    User `db:"users"`
}

func main() {
	driver := flag.String("driver", "sqlite", `database: "sqlite", "postgres" or "mysql"`)
	dsn := flag.String("dsn", "", "connection string (default: a new SQLite file in a temporary directory)")
	flag.Parse()
	if *dsn == "" {
		if *driver != "sqlite" {
			fmt.Fprintln(os.Stderr, "twitter: -dsn is required for", *driver)
			os.Exit(2)
		}
		dir, err := os.MkdirTemp("", "wren-twitter")
		if err != nil {
			fmt.Fprintln(os.Stderr, "twitter:", err)
			os.Exit(1)
		}
		defer os.RemoveAll(dir)
		*dsn = filepath.Join(dir, "twitter.db")
	}
	if err := run(context.Background(), os.Stdout, *driver, *dsn); err != nil {
		fmt.Fprintln(os.Stderr, "twitter:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, driver, dsn string) error {
	db, err := wren.Open(ctx, driver, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(out, "== connected to %s\n", db.Dialect())

	// db.create_tables([User, Tweet])
	if err := wren.DropTablesIfExists(ctx, db, Users, Tweets, Counters); err != nil {
		return err
	}
	if err := wren.CreateTables(ctx, db, Users, Tweets, Counters); err != nil {
		return err
	}
	fmt.Fprintln(out, "== created tables users, tweets, counters")

	// charlie = User.create(username='charlie'), and more users to page through.
	charlie := &User{Username: "charlie"}
	huey := &User{Username: "huey"}
	mickey := &User{Username: "mickey"}
	if err := wren.Create(ctx, db, Users, charlie, huey, mickey); err != nil {
		return err
	}
	var more []*User
	for i := 1; i <= 60; i++ {
		more = append(more, &User{Username: fmt.Sprintf("user%02d", i)})
	}
	if err := wren.Create(ctx, db, Users, more...); err != nil {
		return err
	}
	fmt.Fprintf(out, "== created users: charlie (id %d), huey (id %d), mickey (id %d) and %d more\n",
		charlie.ID, huey.ID, mickey.ID, len(more))

	// Tweet.create(user=charlie, message='My first tweet'), and a few more.
	now := time.Now().UTC().Truncate(time.Second)
	yesterday := now.Add(-36 * time.Hour)
	tweets := []*Tweet{
		{UserID: charlie.ID, Message: "My first tweet", CreatedDate: now, IsPublished: true},
		{UserID: huey.ID, Message: "meow", CreatedDate: now, IsPublished: true},
		{UserID: huey.ID, Message: "purr", CreatedDate: now, IsPublished: true},
		{UserID: huey.ID, Message: "hiss (draft)", CreatedDate: now, IsPublished: false},
		{UserID: mickey.ID, Message: "woof", CreatedDate: yesterday, IsPublished: true},
	}
	if err := wren.Create(ctx, db, Tweets, tweets...); err != nil {
		return err
	}
	fmt.Fprintf(out, "== created %d tweets\n", len(tweets))

	// User.get(User.username == 'charlie'), and 'charles', who does not exist.
	u, err := wren.One[User](ctx, db, wren.Select(Users).From(Users).Where(Users.Username.Eq("charlie")))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "== user by username: %+v\n", u)
	_, err = wren.One[User](ctx, db, wren.Select(Users).From(Users).Where(Users.Username.Eq("charles")))
	fmt.Fprintf(out, "== user 'charles': not found = %v\n", errors.Is(err, wren.ErrNoRows))

	// Tweets by users IN a list of ids, and IN a subquery of usernames.
	usernames := []string{"charlie", "huey", "mickey"}
	byIDs, err := wren.All[Tweet](ctx, db, wren.Select(Tweets).From(Tweets).
		Where(Tweets.UserID.In(charlie.ID, huey.ID)).OrderBy(Tweets.ID))
	if err != nil {
		return err
	}
	printTweets(out, "tweets by charlie and huey (IN a list)", byIDs)
	users := wren.SubqueryOf(Users.ID).From(Users).Where(Users.Username.In(usernames...))
	bySub, err := wren.All[Tweet](ctx, db, wren.Select(Tweets).From(Tweets).
		Where(Tweets.UserID.InQuery(users)).OrderBy(Tweets.ID))
	if err != nil {
		return err
	}
	printTweets(out, "tweets by users IN a subquery", bySub)

	// The same through a JOIN, with each tweet's author.
	joined, err := wren.All[TweetWithUser](ctx, db, wren.Select(Tweets.Message, Users).From(Tweets).
		Join(Users).Where(Users.Username.In(usernames...)).OrderBy(Tweets.ID))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "== the same through a JOIN: %d tweets\n", len(joined))
	for _, t := range joined {
		fmt.Fprintf(out, "   %-8s %s\n", t.User.Username, t.Message)
	}

	// Tweets published today.
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	todays, err := wren.All[Tweet](ctx, db, wren.Select(Tweets).From(Tweets).
		Where(Tweets.CreatedDate.Gte(today), Tweets.IsPublished.Eq(true)).OrderBy(Tweets.ID))
	if err != nil {
		return err
	}
	printTweets(out, "tweets published today", todays)

	// Page 3 of users, 20 per page.
	page, err := wren.All[User](ctx, db, wren.Select(Users).From(Users).OrderBy(Users.Username).Paginate(3, 20))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "== page 3 of users (20 per page): %d users, %s … %s\n", len(page), page[0].Username, page[len(page)-1].Username)

	// Users ordered by their tweet count, through a LEFT OUTER JOIN.
	type userCount struct {
		Username string
		Ct       int64
	}
	ct := wren.CountOf(Tweets.ID).As("ct")
	counts, err := wren.All[userCount](ctx, db, wren.Select(Users.Username, ct).From(Users).
		LeftJoin(Tweets, Tweets.UserID.EqExpr(Users.ID)).
		GroupBy(Users.ID, Users.Username).OrderBy(ct.Desc(), Users.Username).Limit(4))
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "== users by tweet count (LEFT OUTER JOIN), top 4:")
	for _, c := range counts {
		fmt.Fprintf(out, "   %-8s %d\n", c.Username, c.Ct)
	}

	// An atomic counter update: Counter.update(count=Counter.count + 1).
	url := "/tweets/1"
	if _, err := wren.Exec(ctx, db, wren.Insert(Counters).Set(wren.Set(Counters.URL, url), wren.Set(Counters.Count, int64(0)))); err != nil {
		return err
	}
	for i := 0; i < 3; i++ {
		err := db.Atomic(ctx, func(tx *wren.Tx) error {
			_, err := wren.Exec(ctx, tx, wren.Update(Counters).
				Set(wren.SetExpr(Counters.Count, Counters.Count.Add(1))).
				Where(Counters.URL.Eq(url)))
			return err
		})
		if err != nil {
			return err
		}
	}
	n, err := wren.One[int64](ctx, db, wren.Select(Counters.Count).From(Counters).Where(Counters.URL.Eq(url)))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "== counter for %s after 3 atomic updates: %d\n", url, n)
	return nil
}

func printTweets(out io.Writer, title string, ts []Tweet) {
	fmt.Fprintf(out, "== %s: %d tweets\n", title, len(ts))
	for _, t := range ts {
		fmt.Fprintf(out, "   #%d by user %d: %s\n", t.ID, t.UserID, t.Message)
	}
}
