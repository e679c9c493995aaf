package scan

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SnakeCase turns a Go identifier into the snake_case name wren gives its
// column or field by default. Runs of capitals are read as one word, so
// ID becomes "id", UserID "user_id", HTTPStatus "http_status" and
// CreatedAt "created_at".
func SnakeCase(name string) string {
	var b strings.Builder
	b.Grow(len(name) + 4)
	runes := []rune(name)
	for i, c := range runes {
		if unicode.IsUpper(c) {
			if i > 0 {
				prev := runes[i-1]
				nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1])
				if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
					b.WriteByte('_')
				}
			}
			b.WriteRune(unicode.ToLower(c))
			continue
		}
		if c < utf8.RuneSelf {
			b.WriteByte(byte(c))
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}
