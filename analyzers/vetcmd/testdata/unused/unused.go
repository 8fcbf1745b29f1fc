package unused

// G has a directive that suppresses nothing.
func G() int {
	//upshift:ignore hazardcheck nothing here calls hazard any more
	return 1
}
