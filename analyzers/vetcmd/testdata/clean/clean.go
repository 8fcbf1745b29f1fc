package clean

func F() int { return 1 }
