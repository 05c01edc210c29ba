package app

// Plural picks the word for a count: one when n is 1, else many. Messages
// in every layer say "1 image" and "2 images" through it.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
