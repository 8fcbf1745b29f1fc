package sub

// X is in a subpackage.
var X int
