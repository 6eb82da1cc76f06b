package parser

// arena hands out the small slices every rule holds (its purposes, its
// ports) as pieces of shared arrays, so that a document of n rows costs a
// few allocations for them instead of n. Each piece is clipped (a full
// slice expression), so an append to one reallocates instead of writing
// into its neighbour.
type arena[T any] struct {
	free []T // the unused rest of the current array
	next int // size of the next array when none is reserved
}

// reserve makes room for n more elements in one array: a table reserves
// its rows before reading them.
func (a *arena[T]) reserve(n int) {
	if len(a.free) < n {
		a.free = make([]T, n)
	}
}

// take returns n zero elements of their own.
func (a *arena[T]) take(n int) []T {
	if len(a.free) < n {
		// Rows read without a reservation (an HTML or text table): arrays
		// of 64, then twice the last, up to 4096 elements.
		a.next = min(max(64, 2*a.next), 4096)
		if n > a.next/4 {
			return make([]T, n) // a long list: an array of its own
		}
		a.free = make([]T, a.next)
	}
	s := a.free[:n:n]
	a.free = a.free[n:]
	return s
}
