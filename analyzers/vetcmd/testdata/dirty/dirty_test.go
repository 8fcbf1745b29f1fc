package dirty

import "testing"

func TestF(t *testing.T) { hazard(); F() }
