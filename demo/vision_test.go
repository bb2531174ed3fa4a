package demo

import "testing"

func TestDemoVision(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a network")
	}
	s := runOne(t, "vision")
	n := s.Result.Numbers
	// one epoch on 5000 images: measured 0.739 (seed 1); chance is 0.1
	if a := n["test_accuracy"].(float64); !(a >= 0.6 && a <= 1) {
		t.Errorf("Fashion-MNIST LeNet-5 test accuracy %g after one epoch on 5000 images; want >= 0.6", a)
	}
	if n["test_images"].(int) != 10000 || n["params"].(int) != 61706 {
		t.Errorf("numbers %v: want the 10000 test images and 61706 parameters", n)
	}
	if s.Seconds > 60 {
		t.Errorf("the step took %.1f s; it should stay well under a minute", s.Seconds)
	}
}
