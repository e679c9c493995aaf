package wren

import (
	"container/list"
	"database/sql/driver"
	"unsafe"
)

// connStmts is one driver connection's prepared statements, keyed by their
// text, least recently used first out. The pools Open makes for
// MySQL/MariaDB and SQLite keep one in each connection (see mysqlConn and
// sqliteConn), so no lock is shared between connections. database/sql uses
// a connection from one goroutine at a time, and so does connStmts.
type connStmts struct {
	lru *list.List // of *cachedStmt, most recently used first
	m   map[string]*list.Element
	// last is the statement found or added last: a statement run again
	// with the same text (the same string, as wren's kept and interned
	// texts are) is found without hashing its text.
	last *cachedStmt
}

type cachedStmt struct {
	text string
	st   driver.Stmt
	// On SQLite (see sqliteConn), busy says the rows of the statement's
	// last query are open, and rows are those rows, reused by its next
	// query. A busy statement is not closed when it is evicted: evicted
	// says its rows close it.
	rows    sqliteRows
	busy    bool
	evicted bool
}

func newConnStmts() connStmts {
	return connStmts{lru: list.New(), m: map[string]*list.Element{}}
}

// get returns the statement kept for text, nil if there is none.
func (c *connStmts) get(text string) *cachedStmt {
	if l := c.last; l != nil && len(l.text) == len(text) && unsafe.StringData(l.text) == unsafe.StringData(text) {
		return l // still the most recently used: nothing to move
	}
	e, ok := c.m[text]
	if !ok {
		return nil
	}
	c.lru.MoveToFront(e)
	c.last = e.Value.(*cachedStmt)
	return c.last
}

// add keeps st for text, closing the least recently used statements past
// max.
func (c *connStmts) add(text string, st driver.Stmt, max int) *cachedStmt {
	c.last = &cachedStmt{text: text, st: st}
	c.m[text] = c.lru.PushFront(c.last)
	if c.lru.Len() > max {
		c.evict(c.lru.Len() - max)
	}
	return c.last
}

// len is the number of statements kept.
func (c *connStmts) len() int { return c.lru.Len() }

// evict closes the n least recently used statements (a busy one once its
// rows close).
func (c *connStmts) evict(n int) {
	for ; n > 0 && c.lru.Len() > 0; n-- {
		cs := c.lru.Remove(c.lru.Back()).(*cachedStmt)
		delete(c.m, cs.text)
		if cs == c.last {
			c.last = nil
		}
		if cs.busy {
			cs.evicted = true
			continue
		}
		cs.st.Close()
	}
}
