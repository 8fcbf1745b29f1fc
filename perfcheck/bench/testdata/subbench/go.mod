module example.com/subbench

go 1.26
