package raster

import (
	"math"
	"testing"

	"github.com/luneo/luneo/gltf"
)

func TestCameraFramesBoundingSphere(t *testing.T) {
	b := bounds{min: vec3{-1, -1, -1}, max: vec3{1, 1, 1}, ok: true}
	cam, err := newCamera(b, "", 512)
	if err != nil {
		t.Fatal(err)
	}
	r := math.Sqrt(3)
	d := r / math.Sin(fovY/2)
	if got := cam.eye.length(); math.Abs(got-d) > 1e-9 {
		t.Errorf("eye distance %v, want %v", got, d)
	}
	if want := (vec3{1, 0.6, 1}).norm().scale(d); cam.eye.sub(want).length() > 1e-9 {
		t.Errorf("eye %v, want %v", cam.eye, want)
	}
	if math.Abs(fovY*180/math.Pi-54.4322) > 1e-4 {
		t.Errorf("fov %v°", fovY*180/math.Pi)
	}
	if cam.near != 0.05*d || cam.far != 2*(d+r) {
		t.Errorf("near %v far %v", cam.near, cam.far)
	}
	x, y, _, ok := cam.project(vec3{})
	if !ok || math.Abs(x-256) > 1e-9 || math.Abs(y-256) > 1e-9 {
		t.Errorf("centre projects to %v,%v", x, y)
	}
	// A point in the centre's image plane at the frame's edge: d·tan(fov/2)
	// to the right lands on the right border, the same upwards on the top.
	s := d * math.Tan(fovY/2)
	if x, y, _, _ := cam.project(cam.right.scale(s)); math.Abs(x-512) > 1e-6 || math.Abs(y-256) > 1e-6 {
		t.Errorf("right edge projects to %v,%v", x, y)
	}
	if x, y, _, _ := cam.project(cam.up.scale(s)); math.Abs(x-256) > 1e-6 || math.Abs(y) > 1e-6 {
		t.Errorf("top edge projects to %v,%v", x, y)
	}
	if _, _, _, ok := cam.project(cam.eye); ok {
		t.Error("the eye itself is in front of the near plane")
	}
}

func TestViews(t *testing.T) {
	b := bounds{min: vec3{-1, -1, -1}, max: vec3{1, 1, 1}, ok: true}
	// Where the +X, +Y and +Z unit points land relative to the centre:
	// sign of screen x (right +) and screen y (down +), 0 = on the axis.
	cases := map[string][3][2]int{
		ViewFront: {{1, 0}, {0, -1}, {0, 0}},
		ViewBack:  {{-1, 0}, {0, -1}, {0, 0}},
		ViewRight: {{0, 0}, {0, -1}, {-1, 0}},
		ViewLeft:  {{0, 0}, {0, -1}, {1, 0}},
		ViewTop:   {{1, 0}, {0, 0}, {0, 1}}, // the front (+Z) faces the bottom
	}
	for view, want := range cases {
		cam, err := newCamera(b, view, 100)
		if err != nil {
			t.Fatal(err)
		}
		for axis := 0; axis < 3; axis++ {
			var p vec3
			p[axis] = 1
			x, y, _, _ := cam.project(p)
			got := [2]int{sign(x - 50), sign(y - 50)}
			if got != want[axis] {
				t.Errorf("%s: axis %d lands %v, want %v", view, axis, got, want[axis])
			}
		}
	}
	if _, err := newCamera(b, "side", 100); err == nil {
		t.Error("unknown view accepted")
	}
	if len(Views()) != 6 || Views()[0] != ViewThreeQuarter {
		t.Errorf("Views() = %v", Views())
	}
}

func sign(v float64) int {
	switch {
	case v > 1e-9:
		return 1
	case v < -1e-9:
		return -1
	}
	return 0
}

// TestCameraMatchesBlender compares our framing of corpus models with the
// camera distance and radius Blender's anchor script printed for them
// (../shared/anchors/blender-render.sh, result JSON).
func TestCameraMatchesBlender(t *testing.T) {
	models := corpusModels(t)
	want := map[string][2]float64{ // distance, radius
		"BoxTextured":        {1.893581, 0.866026},
		"CesiumMilkTruck":    {6.754628, 3.089216},
		"AlphaBlendModeTest": {9.86407, 4.511313},
	}
	for name, w := range want {
		doc, err := gltf.ReadFile(models[name])
		if err != nil {
			t.Fatal(err)
		}
		m, err := Load(doc, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cam, _ := newCamera(m.bounds, "", 512)
		c := m.bounds.min.add(m.bounds.max).scale(0.5)
		r := m.bounds.max.sub(m.bounds.min).length() / 2
		if d := cam.eye.sub(c).length(); math.Abs(d-w[0]) > 1e-4 || math.Abs(r-w[1]) > 1e-4 {
			t.Errorf("%s: distance %.6f radius %.6f, Blender %v", name, d, r, w)
		}
	}
}
