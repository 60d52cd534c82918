package pricing

import "testing"

// TestNoTypeIsBothPricedAndFree: the free list must not shadow a price rule
// (Compute consults it first), so a type may be in only one of them.
func TestNoTypeIsBothPricedAndFree(t *testing.T) {
	for typ := range freeTypes {
		if _, ok := pricers[typ]; ok {
			t.Errorf("%s is both priced and free", typ)
		}
	}
	for typ := range pricers {
		if _, ok := freeReason(typ); ok {
			t.Errorf("%s is both priced and free", typ)
		}
	}
}
