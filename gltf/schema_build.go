package gltf

// Builders that keep the schema tables in schema_spec.go short.

// spec builds an objSpec; every glTF object may carry extensions and extras.
func spec(name, owner string, post func(*checker, string, map[string]any), fields ...field) *objSpec {
	fields = append(fields, field{name: "extensions", kind: kExt, owner: owner}, field{name: "extras", kind: kAny})
	s := &objSpec{name: name, fields: fields, known: make(map[string]bool, len(fields)), post: post}
	for _, f := range fields {
		s.known[f.name] = true
	}
	return s
}

func fl(v float64) *float64 { return &v }

func fIndex(name string) field { return field{name: name, kind: kIndex} }
func fInt(name string, min float64) field {
	return field{name: name, kind: kInt, min: fl(min)}
}
func fEnum(name string, vals ...int64) field {
	return field{name: name, kind: kInt, ints: vals}
}
func fIntRange(name string, min, max float64) field {
	return field{name: name, kind: kInt, min: fl(min), max: fl(max)}
}
func fNum(name string) field { return field{name: name, kind: kNum} }
func fRange(name string, min, max float64) field {
	return field{name: name, kind: kNum, min: fl(min), max: fl(max)}
}
func fPositive(name string) field { return field{name: name, kind: kNum, min: fl(0), exclMin: true} }
func fStr(name string) field      { return field{name: name, kind: kStr} }
func fStrEnum(name string, vals ...string) field {
	return field{name: name, kind: kStr, strs: vals}
}
func fBool(name string) field            { return field{name: name, kind: kBool} }
func fObj(name string, s *objSpec) field { return field{name: name, kind: kObj, obj: s} }
func fArr(name string, elem field) field {
	return field{name: name, kind: kArr, elem: &elem, minItems: 1}
}
func fObjArr(name string, s *objSpec) field { return fArr(name, field{kind: kObj, obj: s}) }
func fIdxSet(name string) field             { f := fArr(name, field{kind: kIndex}); f.unique = true; return f }
func fNumVec(name string, n int) field {
	f := fArr(name, field{kind: kNum})
	f.lengths = []int{n}
	return f
}
func fVecRange(name string, n int, lo, hi float64) field {
	f := fArr(name, field{kind: kNum, min: fl(lo), max: fl(hi)})
	f.lengths = []int{n}
	return f
}
func (f field) required() field { f.req = true; return f }

func containsInt(list []int64, n int64) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

func containsInt64(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
