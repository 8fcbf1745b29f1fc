package loop

func old() int  { return 1 }
func newf() int { return 2 }
