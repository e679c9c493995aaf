// Package golden holds wren's golden queries: statements built with wren and
// the exact SQL and arguments each dialect must render for them. The root
// package's tests compare the rendering; tests/ prepares every statement on
// the real PostgreSQL, MariaDB and SQLite servers, so no golden SQL is only
// believed to be valid.
package golden

import (
	"time"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// Case is one golden statement. What each dialect renders for it (text and
// arguments, or the error) is recorded in testdata/golden.txt, which
// `go test -run TestGolden -update` at the module root rewrites for review.
type Case struct {
	Name string
	Stmt wren.Statement
	// NoPrepare skips preparing the statement on the real servers (DDL, or
	// statements whose tables the fixture schema lacks).
	NoPrepare bool
}

// Cases is every golden case, in the order the files add them.
var Cases []Case

// Add appends cases to Cases; each file calls it from a package-level var.
func Add(cs ...Case) bool {
	Cases = append(Cases, cs...)
	return true
}

// Dialects lists the dialects every case is rendered for; MariaDB is
// recorded where it differs from MySQL.
var Dialects = []*dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.MariaDB, dialect.SQLite}

// The fixture tables the golden cases use. Schema creates them.

// UserTable is the golden users table.
type UserTable struct {
	wren.Table
	ID        wren.Column[int64] `wren:",pk"`
	Username  wren.Column[string]
	Email     wren.Column[*string]
	Age       wren.Column[int64]
	Score     wren.Column[float64]
	Active    wren.Column[bool]
	CreatedAt wren.Column[time.Time]
}

// TweetTable is the golden tweets table.
type TweetTable struct {
	wren.Table
	ID        wren.Column[int64] `wren:",pk"`
	UserID    wren.Column[int64] `wren:",references=users.id"`
	Content   wren.Column[string]
	Likes     wren.Column[int64]
	CreatedAt wren.Column[time.Time]
}

// Fixture descriptors.
var (
	Users  = wren.NewTable[UserTable]("users")
	Tweets = wren.NewTable[TweetTable]("tweets")
)

// Schema returns the DDL that creates the fixture tables on d, as plain SQL
// so that the golden cases do not depend on wren's own DDL.
func Schema(d *dialect.Dialect) []string {
	switch d.Name() {
	case "postgres":
		return []string{
			`CREATE TABLE users (id BIGSERIAL PRIMARY KEY, username TEXT NOT NULL UNIQUE, email TEXT, age BIGINT NOT NULL DEFAULT 0, score DOUBLE PRECISION NOT NULL DEFAULT 0, active BOOLEAN NOT NULL DEFAULT TRUE, created_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
			`CREATE TABLE tweets (id BIGSERIAL PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id), content TEXT NOT NULL, likes BIGINT NOT NULL DEFAULT 0, created_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
			`CREATE TABLE days (id BIGINT PRIMARY KEY, "on" DATE NOT NULL, due DATE NOT NULL)`,
		}
	case "mysql", "mariadb":
		return []string{
			"CREATE TABLE users (id BIGINT AUTO_INCREMENT PRIMARY KEY, username VARCHAR(191) NOT NULL UNIQUE, email TEXT, age BIGINT NOT NULL DEFAULT 0, score DOUBLE NOT NULL DEFAULT 0, active BOOLEAN NOT NULL DEFAULT TRUE, created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
			"CREATE TABLE tweets (id BIGINT AUTO_INCREMENT PRIMARY KEY, user_id BIGINT NOT NULL, content TEXT NOT NULL, likes BIGINT NOT NULL DEFAULT 0, created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), FOREIGN KEY (user_id) REFERENCES users(id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
			"CREATE TABLE days (id BIGINT PRIMARY KEY, `on` DATE NOT NULL, due DATE NOT NULL) ENGINE=InnoDB",
		}
	default:
		return []string{
			`CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL UNIQUE, email TEXT, age INTEGER NOT NULL DEFAULT 0, score REAL NOT NULL DEFAULT 0, active BOOLEAN NOT NULL DEFAULT 1, created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)`,
			`CREATE TABLE tweets (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL REFERENCES users(id), content TEXT NOT NULL, likes INTEGER NOT NULL DEFAULT 0, created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)`,
			`CREATE TABLE days (id INTEGER PRIMARY KEY, "on" DATE NOT NULL, due DATE NOT NULL)`,
		}
	}
}
