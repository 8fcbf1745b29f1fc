package tagged

func PointersPlain(jobs []Job) []*Job {
	var out []*Job
	for _, j := range jobs {
		out = append(out, &j)
	}
	return out
}
