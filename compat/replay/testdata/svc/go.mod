module example.com/replaysvc

go 1.22
