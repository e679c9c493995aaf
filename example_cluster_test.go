package wren_test

import (
	"context"
	"log"
	"time"

	"github.com/wrensql/wren"
)

// A Cluster over a PostgreSQL primary and a hot standby: reads go to the
// standby while it keeps up, writes and transactions to the primary, and a
// Session reads its own writes. (Not run: it needs the two servers.)
func ExampleNewCluster() {
	ctx := context.Background()
	primary, err := wren.Open(ctx, "postgres", "postgres://app@db1/app")
	if err != nil {
		log.Fatal(err)
	}
	standby, err := wren.Open(ctx, "postgres", "postgres://app@db2/app")
	if err != nil {
		log.Fatal(err)
	}
	c, err := wren.NewCluster(ctx, primary, wren.ClusterOptions{
		Replicas: []*wren.DB{standby},
		MaxLag:   2 * time.Second, // a standby further behind is skipped
	})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// A read: on the standby.
	users, err := wren.All[User](ctx, c, wren.Select(Users.ID, Users.Username, Users.Age).From(Users))
	if err != nil {
		log.Fatal(err)
	}
	_ = users

	// A request that writes and then reads what it wrote: the read waits
	// (up to 500 ms) for a standby that has replayed the write, or runs on
	// the primary.
	s := c.Session(wren.SessionOptions{WaitReplay: 500 * time.Millisecond})
	if err := wren.Create(ctx, s, Users, &User{Username: "huey", Age: 3}); err != nil {
		log.Fatal(err)
	}
	huey, err := wren.One[User](ctx, s, wren.Select(Users.ID, Users.Username, Users.Age).From(Users).Where(Users.Username.Eq("huey")))
	if err != nil {
		log.Fatal(err)
	}
	_ = huey

	// One call that must read the latest data: on the primary.
	n, err := wren.Count(wren.OnPrimary(ctx), c, wren.Select(Users.ID).From(Users))
	if err != nil {
		log.Fatal(err)
	}
	_ = n
}
