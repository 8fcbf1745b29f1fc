package a

func hazard() {}

func f() {
	hazard() // want "hazard call"

	//upshift:ignore testcheck the call is harmless here
	hazard()

	hazard() //upshift:ignore testcheck,other same line works too

	//upshift:ignore testcheck // want "needs a reason"
	hazard() // want "hazard call"

	//upshift:ignore testcheck nothing to suppress here // want "unused //upshift:ignore testcheck"
	_ = 1

	//upshift:ignore other a directive for another analyzer is not ours
	hazard() // want "hazard call"
}
