module example.com/m/v2

go 1.22
