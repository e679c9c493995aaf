package golden

import (
	"time"

	"github.com/wrensql/wren"
)

// NewUser is a users row for INSERT … Rows.
type NewUser struct {
	ID        int64
	Username  string
	Email     *string
	Age       int64
	Score     float64
	Active    bool
	CreatedAt time.Time
}

// Unmapped has a field that no users column takes.
type Unmapped struct {
	Username string
	Shoe     int
}

var (
	huey   = NewUser{Username: "huey", Age: 7, Active: true, CreatedAt: day}
	mickey = NewUser{ID: 5, Username: "mickey", CreatedAt: day}
)

var _ = Add(
	Case{Name: "insert set", Stmt: wren.Insert(Users).Set(wren.Set(Users.Username, "huey"), wren.Set(Users.Age, int64(3)))},
	Case{Name: "insert set null and expr", Stmt: wren.Insert(Users).Set(wren.Set(Users.Username, "x"), wren.SetNull(Users.Email),
		wren.SetExpr(Users.CreatedAt, wren.Now()))},
	Case{Name: "insert struct rows skip zero key", Stmt: wren.Insert(Users).Rows(&huey, huey)},
	Case{Name: "insert struct with key", Stmt: wren.Insert(Users).Rows(&mickey)},
	Case{Name: "insert mixed keys is an error", Stmt: wren.Insert(Users).Rows(&huey, &mickey)},
	Case{Name: "insert unmapped field is an error", Stmt: wren.Insert(Users).Rows(Unmapped{Username: "x"})},
	Case{Name: "insert nothing is an error", Stmt: wren.Insert(Users)},
	Case{Name: "insert select", Stmt: wren.Insert(Tweets).Select(wren.Columns(Tweets.UserID, Tweets.Content, Tweets.CreatedAt),
		wren.Select(Users.ID, Users.Username, Users.CreatedAt).From(Users).Where(Users.Active.Eq(true)))},
	Case{Name: "insert returning", Stmt: wren.Insert(Users).Set(wren.Set(Users.Username, "r")).Returning(Users.ID, Users.CreatedAt)},
	Case{Name: "upsert do nothing", Stmt: wren.Insert(Users).Set(wren.Set(Users.Username, "huey")).OnConflict(Users.Username).DoNothing()},
	Case{Name: "upsert do update excluded", Stmt: wren.Insert(Users).Set(wren.Set(Users.Username, "huey"), wren.Set(Users.Age, int64(1))).
		OnConflict(Users.Username).DoUpdate([]wren.Assignment{wren.SetExpr(Users.Age, Users.Age.AddExpr(wren.Excluded(Users.Age)))})},
	Case{Name: "upsert do update where", Stmt: wren.Insert(Users).Set(wren.Set(Users.Username, "huey")).
		OnConflict(Users.Username).DoUpdate([]wren.Assignment{wren.Set(Users.Active, true)}, Users.Active.Eq(false))},
	Case{Name: "upsert do update needs target", Stmt: wren.Insert(Users).Set(wren.Set(Users.Username, "huey")).
		OnConflict().DoUpdate([]wren.Assignment{wren.Set(Users.Active, true)})},
	Case{Name: "update set value", Stmt: wren.Update(Users).Set(wren.Set(Users.Age, int64(8))).Where(Users.ID.Eq(1))},
	Case{Name: "update counter", Stmt: wren.Update(Tweets).Set(wren.SetExpr(Tweets.Likes, Tweets.Likes.Add(1))).Where(Tweets.ID.Eq(3))},
	Case{Name: "update from", Stmt: wren.Update(Tweets).From(Users).Set(wren.Set(Tweets.Likes, int64(0))).
		Where(Tweets.UserID.EqExpr(Users.ID), Users.Username.Eq("huey"))},
	Case{Name: "update returning", Stmt: wren.Update(Users).Set(wren.Set(Users.Age, int64(8))).Where(Users.ID.Eq(1)).Returning(Users.Age)},
	Case{Name: "update without where is refused", Stmt: wren.Update(Users).Set(wren.Set(Users.Age, int64(8)))},
	Case{Name: "update all", Stmt: wren.Update(Users).Set(wren.Set(Users.Age, int64(8))).All()},
	Case{Name: "update other table column", Stmt: wren.Update(Users).Set(wren.Set(Tweets.Likes, int64(8))).All()},
	Case{Name: "delete where", Stmt: wren.Delete(Tweets).Where(Tweets.Likes.Lt(1))},
	Case{Name: "delete returning", Stmt: wren.Delete(Tweets).Where(Tweets.ID.Eq(1)).Returning(Tweets.ID, Tweets.Content)},
	Case{Name: "delete without where is refused", Stmt: wren.Delete(Tweets)},
	Case{Name: "delete all", Stmt: wren.Delete(Tweets).All()},
)

var (
	noConds    []wren.Predicate // a conditionally built list that stayed empty
	rowsToSave = []any{&NewUser{Username: "huey", Age: 3, CreatedAt: day}, &NewUser{Username: "zoe", Age: 1, CreatedAt: day}}
)

var _ = Add(
	Case{Name: "delete with an empty And is refused", Stmt: wren.Delete(Tweets).Where(wren.And(noConds...))},
	Case{Name: "update with an empty And is refused", Stmt: wren.Update(Tweets).Set(wren.Set(Tweets.Likes, int64(0))).
		Where(wren.And(wren.And(noConds...)))},
	Case{Name: "delete with an And of a condition", Stmt: wren.Delete(Tweets).Where(wren.And(wren.And(noConds...), Tweets.ID.Eq(1)))},
	Case{Name: "upsert struct rows", Stmt: wren.Insert(Users).Rows(rowsToSave...).OnConflict(Users.Username).
		DoUpdate([]wren.Assignment{wren.SetExpr(Users.Age, wren.Excluded(Users.Age))})},
	Case{Name: "upsert do nothing without target", Stmt: wren.Insert(Users).Set(wren.Set(Users.Username, "huey")).OnConflict().DoNothing()},
	Case{Name: "update from returning", Stmt: wren.Update(Tweets).From(Users).Set(wren.SetExpr(Tweets.Likes, Users.Age)).
		Where(Tweets.UserID.EqExpr(Users.ID)).Returning(Tweets.ID, Tweets.Likes)},
)

var _ = Add(
	Case{Name: "delete from an aliased table", Stmt: wren.Delete(Followers).Where(Followers.ID.Eq(1))},
	Case{Name: "update an aliased table", Stmt: wren.Update(Followers).Set(wren.Set(Followers.Age, int64(1))).Where(Followers.ID.Eq(1))},
	Case{Name: "update a derived table is an error", Stmt: wren.Update(Top).Set(wren.Set(Top.N, int64(1))).All()},
)

var _ = Add(
	Case{Name: "insert a column twice is an error", Stmt: wren.Insert(Users).Set(wren.Set(Users.Age, int64(1)), wren.Set(Users.Age, int64(2)))},
	Case{Name: "update a column twice is an error", Stmt: wren.Update(Users).Set(wren.Set(Users.Age, int64(1))).
		Set(wren.SetExpr(Users.Age, Users.Age.Add(1))).Where(Users.ID.Eq(1))},
	Case{Name: "upsert target of another table is an error", Stmt: wren.Insert(Users).Set(wren.Set(Users.Username, "huey")).
		OnConflict(Tweets.ID).DoNothing()},
)

var _ = Add(
	Case{Name: "update set row", Stmt: wren.Update(Users).SetRow(&mickey).Where(Users.ID.Eq(mickey.ID))},
	Case{Name: "update set row columns", Stmt: wren.Update(Users).SetRow(mickey, Users.Age, Users.Email).
		Set(wren.SetExpr(Users.Score, Users.Score.Add(1))).Where(Users.ID.Eq(mickey.ID))},
	Case{Name: "update set row and set the same column", Stmt: wren.Update(Users).SetRow(&mickey).
		Set(wren.Set(Users.Age, int64(1))).Where(Users.ID.Eq(mickey.ID))},
	Case{Name: "update set row column without field", Stmt: wren.Update(Users).SetRow(Unmapped2{Username: "x"}, Users.Age).All()},
)

// Unmapped2 maps only username.
type Unmapped2 struct{ Username string }
